"""paho-mqtt 2.1's ``paho.mqtt`` package on Ouzel's engine, module by module."""

# The paho-mqtt API version this package reproduces (code that checks paho's version reads this).
__version__ = "2.1.0"


class MQTTException(Exception):
    pass
