"""Compares the workspace `layerc check` computes with the one `layerc
bench --json` measured: equal up to the cache's best fit (a request may get
a cached block up to twice its size)."""
import json
import re
import sys

computed = int(re.search(r"workspace: (\d+) bytes", open(sys.argv[1]).read()).group(1))
measured = json.load(open(sys.argv[2]))["workspace_bytes"]
if computed == 0 or not measured / 2 <= computed <= measured * 2:
    sys.exit(f"check computed {computed} bytes, bench measured {measured}")
print(f"workspace agrees: check {computed} bytes, bench {measured}")
