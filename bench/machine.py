"""The machine a benchmark ran on, as its tables state it."""
import platform


def cpu_name():
    """The CPU's model name with its kind (Zen 4 and Zen 5 differ 2x in FMA
    peak), family and model, from /proc/cpuinfo."""
    info = {}
    try:
        for line in open("/proc/cpuinfo"):
            if ":" in line:
                k, v = line.split(":", 1)
                info.setdefault(k.strip(), v.strip())
    except OSError:
        pass
    family = info.get("cpu family", "?")
    kind = {"25": "Zen 4", "26": "Zen 5"}.get(family, f"family {family}")
    return (f"{info.get('model name', platform.processor())} ({kind}, family {family} "
            f"model {info.get('model', '?')})")
