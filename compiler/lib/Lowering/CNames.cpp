//===- CNames.cpp - C identifiers for generated code ---------------------===//
#include "layerc/Lowering/LayerGraph.h"
#include <dlfcn.h>
#include <set>

bool layerc::lowering::isCKeyword(const std::string &name) {
  static const std::set<std::string> keywords = {
      "auto", "break", "case", "char", "const", "continue", "default", "do",
      "double", "else", "enum", "extern", "float", "for", "goto", "if",
      "inline", "int", "long", "register", "restrict", "return", "short",
      "signed", "sizeof", "static", "struct", "switch", "typedef", "union",
      "unsigned", "void", "volatile", "while", "_Bool", "_Complex",
      "_Imaginary", "alignas", "alignof", "and", "and_eq", "asm", "bitand",
      "bitor", "bool", "catch", "char16_t", "char32_t", "char8_t", "class",
      "compl", "concept", "consteval", "constexpr", "constinit", "const_cast",
      "co_await", "co_return", "co_yield", "decltype", "delete",
      "dynamic_cast", "explicit", "export", "false", "friend", "mutable",
      "namespace", "new", "noexcept", "not", "not_eq", "nullptr", "operator",
      "or", "or_eq", "private", "protected", "public", "reinterpret_cast",
      "requires", "static_assert", "static_cast", "template", "this",
      "thread_local", "throw", "true", "try", "typeid", "typename", "using",
      "virtual", "wchar_t", "xor", "xor_eq"};
  return keywords.count(name) != 0;
}

std::string layerc::lowering::cIdentifier(std::string name) {
  for (char &c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9')))
      c = '_';
  if (isCKeyword(name))
    name += '_';
  return name;
}

std::string layerc::lowering::linkClash(const std::string &name) {
  for (auto [prefix, runtime] : {std::pair{"halide_", "Halide"},
                                 {"_halide", "Halide"}, {"layerc_", "layerc"}})
    if (name.rfind(prefix, 0) == 0)
      return std::string("the ") + runtime + " runtime's names (" + prefix + "...)";
  // Every application that links a model links the C and math libraries
  // (threads and dl are in libc since glibc 2.34): a function of theirs is
  // one the model would replace. Both are loaded in this process too.
  for (const char *library : {"libc.so.6", "libm.so.6"}) {
    void *handle = dlopen(library, RTLD_LAZY | RTLD_NOLOAD);
    bool found = handle && dlsym(handle, name.c_str());
    if (handle)
      dlclose(handle);
    if (found)
      return name + "() of " + library;
  }
  return "";
}
