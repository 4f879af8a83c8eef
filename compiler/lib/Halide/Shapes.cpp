//===- Shapes.cpp - flatten, reshape, permute and cat, in Halide ---------===//
//
// flatten, reshape and permute are views: their Funcs only remap
// coordinates and are inlined into their consumers (scheduleView), so they
// cost no pass over memory. cat is computed: each element is read from the
// operand that covers it.
//
//===----------------------------------------------------------------------===//
#include "Layers.h"

using namespace Halide;
using layerc::lowering::Node;

namespace layerc::halide {
namespace {
/// Row-major coordinates of the flat index `flat` in `shape`.
std::vector<Expr> unravel(Expr flat, const std::vector<Expr> &shape) {
  std::vector<Expr> index(shape.size());
  for (int i = int(shape.size()) - 1; i >= 0; --i) {
    index[i] = i == 0 ? flat : flat % shape[i];
    flat = flat / shape[i];
  }
  return index;
}

/// The row-major flat index of `index` in `shape`.
Expr ravel(const std::vector<Expr> &index, const std::vector<Expr> &shape) {
  Expr flat = 0;
  for (size_t i = 0; i < shape.size(); ++i)
    flat = flat * shape[i] + index[i];
  return flat;
}

Expr elementCount(const std::vector<Expr> &shape) {
  Expr count = 1;
  for (const Expr &size : shape)
    count = count * size;
  return count;
}
} // namespace

/// out(pre..., m, post...) = in(pre..., unravel(m), post...), unravel over
/// the merged dims start..end (row-major).
LayerStage flatten(const Operands &operands, const Node &node, const ParamBuffers &,
                   const Target &) {
  const Tensor &in = operands[0];
  LayerStage stage;
  stage.vars = makeVars(int(node.shape.size()), "x");
  Func out = newFunc(node);
  if (in.rank() == 0) {
    call(out, asExprs(stage.vars)) = in.func();
    stage.output = {out, {Expr(1)}};
    return stage;
  }
  int start = int(node.startDim), end = int(node.endDim);
  std::vector<Expr> inArgs, merged(in.shape.begin() + start, in.shape.begin() + end + 1);
  for (int i = 0; i < start; ++i) {
    inArgs.push_back(stage.vars[i]);
    stage.output.shape.push_back(in.shape[i]);
  }
  for (const Expr &index : unravel(stage.vars[start], merged))
    inArgs.push_back(index);
  stage.output.shape.push_back(elementCount(merged));
  for (int i = end + 1; i < in.rank(); ++i) {
    inArgs.push_back(stage.vars[i - end + start]);
    stage.output.shape.push_back(in.shape[i]);
  }
  call(out, asExprs(stage.vars)) = call(in.func, inArgs);
  stage.output.func = out;
  return stage;
}

/// out(i...) = in(unravel(ravel(i..., out shape), in shape)). A dynamic
/// result dim (the -1 of a dynamic input) is the element count over the
/// product of the others.
LayerStage reshape(const Operands &operands, const Node &node, const ParamBuffers &,
                   const Target &) {
  const Tensor &in = operands[0];
  LayerStage stage;
  stage.vars = makeVars(int(node.shape.size()), "x");
  int64_t known = 1;  // the product of the static result dims
  int inferred = -1;
  for (size_t i = 0; i < node.shape.size(); ++i) {
    if (node.shape[i] < 0)
      inferred = int(i);
    else
      known *= node.shape[i];
  }
  for (int64_t size : node.shape)
    stage.output.shape.push_back(size < 0 ? Expr() : Expr(int(size)));
  if (inferred >= 0) {
    Expr count = elementCount(in.shape);
    stage.output.shape[inferred] = count / int(known);
    stage.requirements.push_back(
        {count % int(known) == 0,
         layerLabel(node) + ": reshape needs an element count divisible by " +
             std::to_string(known) + ", got",
         count});
  }
  Func out = newFunc(node);
  call(out, asExprs(stage.vars)) = call(
      in.func, unravel(ravel(asExprs(stage.vars), stage.output.shape), in.shape));
  stage.output.func = out;
  return stage;
}

/// out(i_0, ..., i_n) = in(j...) with j[dims[k]] = i_k.
LayerStage permute(const Operands &operands, const Node &node, const ParamBuffers &,
                   const Target &) {
  const Tensor &in = operands[0];
  LayerStage stage;
  stage.vars = makeVars(in.rank(), "x");
  std::vector<Expr> inArgs(in.rank());
  for (int k = 0; k < in.rank(); ++k) {
    inArgs[node.dims[k]] = stage.vars[k];
    stage.output.shape.push_back(in.shape[node.dims[k]]);
  }
  stage.output.func = newFunc(node);
  call(stage.output.func, asExprs(stage.vars)) = call(in.func, inArgs);
  return stage;
}

/// Along the axis, operand k covers [start_k, start_k + size_k): out reads
/// the operand whose range holds the coordinate (clamped into each
/// operand, so no operand is read outside its bounds).
LayerStage concat(const Operands &operands, const Node &node, const ParamBuffers &,
                  const Target &) {
  LayerStage stage;
  int rank = operands[0].rank(), axis = int(node.axis);
  stage.vars = makeVars(rank, "x");
  stage.output.shape = operands[0].shape;
  Var at = stage.vars[axis];
  Expr value, start = 0;
  std::vector<std::pair<Expr, Expr>> pieces;  // (end, value)
  for (const Tensor &operand : operands) {
    std::vector<Expr> args = asExprs(stage.vars);
    Expr size = operand.shape[axis];
    args[axis] = clamp(at - start, 0, size - 1);
    pieces.push_back({start + size, call(operand.func, args)});
    start = start + size;
    for (int i = 0; i < rank; ++i)
      if (i != axis && !Internal::can_prove(operand.shape[i] == stage.output.shape[i]))
        stage.requirements.push_back(
            {operand.shape[i] == stage.output.shape[i],
             layerLabel(node) + ": cat needs equal sizes in dim " +
                 std::to_string(i) + ", got",
             operand.shape[i]});
  }
  stage.output.shape[axis] = start;
  value = pieces.back().second;
  for (int k = int(pieces.size()) - 2; k >= 0; --k)
    value = select(at < pieces[k].first, pieces[k].second, value);
  stage.output.func = newFunc(node);
  call(stage.output.func, asExprs(stage.vars)) = value;
  return stage;
}

} // namespace layerc::halide
