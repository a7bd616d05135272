"""Ouzel: an MQTT 5.0 / 3.1.1 / 3.1 client on a C++ engine.

- ``ouzel.mqtt``: a drop-in for paho-mqtt 2.1 (``import ouzel.mqtt.client as mqtt``).
- ``ouzel.aio``: an asyncio client (``async with ouzel.aio.Client(...)``).
- ``ouzel._capi``: the C ABI of libouzel through ctypes, one to one.
"""

__version__ = "0.1.0"
