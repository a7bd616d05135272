"""Records what paho-mqtt 2.1 sends in each scenario of wire_scenarios.py, as the golden vectors
test_wire.py compares Ouzel's packets with.

Run with a Python that has paho-mqtt 2.1.0 (never a dependency of the package or its tests):

    python3 -m venv /tmp/paho-venv && /tmp/paho-venv/bin/pip install paho-mqtt==2.1.0
    /tmp/paho-venv/bin/python bindings/python/tests/golden/make_wire_golden.py

It writes tests/golden/wire_paho_2_1.json.
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import paho.mqtt  # noqa: E402
import paho.mqtt.client as mqtt  # noqa: E402

import wire_scenarios  # noqa: E402

assert paho.mqtt.__version__ == "2.1.0", paho.mqtt.__version__

out = {"_how": "paho-mqtt " + paho.mqtt.__version__ + " through tests/golden/make_wire_golden.py",
       "scenarios": {}}
for name in wire_scenarios.SCENARIOS:
    out["scenarios"][name] = wire_scenarios.run(mqtt, name)
    print(name, len(out["scenarios"][name]), "packets")
with open(os.path.join(HERE, "wire_paho_2_1.json"), "w") as f:
    json.dump(out, f, indent=1, sort_keys=True)
    f.write("\n")
