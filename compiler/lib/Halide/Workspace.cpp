//===- Workspace.cpp - the memory a model call keeps between calls --------===//
//
// Every intermediate tensor a call allocates on the heap goes through the
// runtime's block cache, which keeps each freed block for the next call.
// What the cache holds after one call is therefore what the model keeps:
// this file replays one call's heap allocations, in the order of the
// lowered loop nest, through a copy of the cache's rule.
//
// An allocation inside a parallel loop is made by each thread: the replay
// makes it `threads` times at once, as if the threads ran in step.
//
//===----------------------------------------------------------------------===//
#include "Workspace.h"

#include <algorithm>

using namespace Halide;
using namespace Halide::Internal;

namespace layerc::halide {
namespace {

/// Halide 14 puts a constant-sized allocation of at most this many bytes
/// on the stack (CodeGen_Posix; runtime/pseudostack.cpp's heap_threshold).
constexpr int64_t kStackBytes = 16 * 1024;

/// runtime/src/workspace.c's cache, by block capacity.
class BlockCache {
public:
  /// A block for `size` bytes: the best cached fit (at most twice the
  /// size), else a new one. Returns its capacity.
  int64_t take(int64_t size) {
    auto best = cached.end();
    for (auto it = cached.begin(); it != cached.end(); ++it)
      if (*it >= size && *it / 2 <= size && (best == cached.end() || *it < *best))
        best = it;
    if (best == cached.end())
      return size;
    int64_t capacity = *best;
    cached.erase(best);
    return capacity;
  }
  void give(int64_t capacity) {
    constexpr size_t kMaxCached = 256;
    if (cached.size() == kMaxCached)
      cached.erase(std::min_element(cached.begin(), cached.end()));
    cached.push_back(capacity);
  }
  int64_t cachedBytes() const {
    int64_t total = 0;
    for (int64_t capacity : cached)
      total += capacity;
    return total;
  }

private:
  std::vector<int64_t> cached;
};

/// Walks a lowered function, taking and giving blocks as the call would.
class AllocationReplay : public IRVisitor {
public:
  AllocationReplay(const std::map<std::string, Stmt> &closures, int threads,
                   BlockCache &cache)
      : closures(closures), threads(threads), cache(cache) {}
  /// An allocation whose size is not known before the call was met.
  bool unknownSize = false;

protected:
  using IRVisitor::visit;

  void visit(const LetStmt *op) override {
    op->value.accept(this);
    lets.emplace_back(op->name, known(op->value));
    op->body.accept(this);
    lets.pop_back();
  }

  void visit(const For *op) override {
    Expr min = known(op->min), extent = known(op->extent);
    loops.push(op->name, Interval(min, simplify(min + extent - 1)));
    op->body.accept(this);
    loops.pop(op->name);
  }

  void visit(const Allocate *op) override {
    int64_t bytes = heapBytes(op);
    std::vector<int64_t> blocks;
    if (bytes > 0)
      for (int i = 0; i < copies; ++i)
        blocks.push_back(cache.take(bytes));
    live[op->name].push_back(blocks);
    op->body.accept(this);
    giveBack(op->name);  // when the body has no Free
    live[op->name].pop_back();
  }

  void visit(const Free *op) override { giveBack(op->name); }

  /// A parallel loop's body is a closure, a function of its own that the
  /// loop's call names: every thread runs it.
  void visit(const Variable *op) override { enterClosure(op->name); }
  void visit(const Call *op) override {
    enterClosure(op->name);
    IRVisitor::visit(op);
  }

private:
  /// `e` with the enclosing lets' values put in.
  Expr known(const Expr &e) const {
    Expr value = e;
    for (auto it = lets.rbegin(); it != lets.rend(); ++it)
      value = substitute(it->first, it->second, value);
    return simplify(value);
  }

  /// The bytes of a heap allocation, 0 for one on the stack.
  int64_t heapBytes(const Allocate *op) {
    if (op->new_expr.defined() || op->memory_type == MemoryType::Stack ||
        op->memory_type == MemoryType::Register)
      return 0;
    Expr size = Expr(int64_t(op->type.bytes()));
    for (const Expr &extent : op->extents)
      size = size * cast<int64_t>(extent);
    size = known(size);
    const int64_t *exact = as_const_int(size);
    if (exact)
      return op->memory_type == MemoryType::Auto && *exact <= kStackBytes ? 0 : *exact;
    // Sized by a loop (a tile at a row's end): its largest size.
    Interval bounds = bounds_of_expr_in_scope(size, loops);
    const int64_t *most = bounds.has_upper_bound() ? as_const_int(simplify(bounds.max))
                                                   : nullptr;
    if (!most) {
      unknownSize = true;
      return 0;
    }
    return *most;
  }

  void enterClosure(const std::string &reference) {
    std::string name = reference.rfind("::", 0) == 0 ? reference.substr(2) : reference;
    auto closure = closures.find(name);
    if (closure == closures.end() || inside.count(name))
      return;
    int outer = copies;
    copies = threads;
    inside.insert(name);
    closure->second.accept(this);
    inside.erase(name);
    copies = outer;
  }

  void giveBack(const std::string &name) {
    auto it = live.find(name);
    if (it == live.end() || it->second.empty())
      return;
    for (int64_t capacity : it->second.back())
      cache.give(capacity);
    it->second.back().clear();
  }

  const std::map<std::string, Stmt> &closures;
  int threads;
  BlockCache &cache;
  int copies = 1;
  std::vector<std::pair<std::string, Expr>> lets;
  Scope<Interval> loops;
  std::map<std::string, std::vector<std::vector<int64_t>>> live;
  std::set<std::string> inside;
};
} // namespace

int64_t replayWorkspace(const Module &module, const std::string &function,
                        int threads) {
  std::map<std::string, Stmt> closures;
  Stmt body;
  for (const LoweredFunc &f : module.functions()) {
    if (f.name == function)
      body = f.body;
    else
      closures.emplace(f.name, f.body);
  }
  if (!body.defined())
    return -1;
  BlockCache cache;
  AllocationReplay replay(closures, std::max(1, threads), cache);
  body.accept(&replay);
  return replay.unknownSize ? -1 : cache.cachedBytes();
}

} // namespace layerc::halide
