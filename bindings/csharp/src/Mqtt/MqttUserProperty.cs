using System;

namespace Ouzel.Mqtt
{
    /// <summary>An MQTT 5 User Property: a name/value pair of strings. Order and repeated names
    /// are kept as on the wire.</summary>
    public sealed class MqttUserProperty
    {
        /// <summary>Creates the pair.</summary>
        public MqttUserProperty(string name, string value)
        {
            if (name == null) throw new ArgumentNullException("name");
            if (value == null) throw new ArgumentNullException("value");
            Name = name;
            Value = value;
        }

        /// <summary>The name.</summary>
        public string Name { get; private set; }
        /// <summary>The value.</summary>
        public string Value { get; private set; }

        /// <inheritdoc/>
        public override string ToString()
        {
            return Name + ": " + Value;
        }

        /// <inheritdoc/>
        public override bool Equals(object obj)
        {
            var other = obj as MqttUserProperty;
            return other != null && other.Name == Name && other.Value == Value;
        }

        /// <inheritdoc/>
        public override int GetHashCode()
        {
            return Name.GetHashCode() * 31 + Value.GetHashCode();
        }
    }
}
