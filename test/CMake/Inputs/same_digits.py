"""Compares two outputs of examples/cmake_app (`digits: v0 ... v9` and
`class K`): the same class, and every value within 1e-4 (a build for another
CPU may round differently)."""
import sys


def read(path):
    lines = open(path).read().split("\n")
    values = [float(v) for v in lines[0].split()[1:]]
    return values, lines[1]


(a, class_a), (b, class_b) = read(sys.argv[1]), read(sys.argv[2])
if class_a != class_b or len(a) != len(b) or max(abs(x - y) for x, y in zip(a, b)) > 1e-4:
    sys.exit(f"differ: {a} {class_a} vs {b} {class_b}")
print("same class, outputs within 1e-4")
