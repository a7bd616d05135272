using System.Collections.Generic;
using System.Threading.Tasks;

namespace Ouzel.Mqtt.Scenarios
{
    // What a client received, with the packet id and DUP flag each arrived with.
    public sealed class Received
    {
        public MqttApplicationMessage Message;
        public ushort PacketIdentifier;

        public string Text
        {
            get { return Message.ConvertPayloadToString(); }
        }
    }

    public sealed class Inbox
    {
        readonly object gate = new object();
        readonly List<Received> items = new List<Received>();

        public Inbox(IMqttClient client)
        {
            client.ApplicationMessageReceivedAsync += e =>
            {
                lock (gate) items.Add(new Received { Message = e.ApplicationMessage, PacketIdentifier = e.PacketIdentifier });
                return Task.FromResult(0);
            };
        }

        public int Count
        {
            get { lock (gate) return items.Count; }
        }

        public List<Received> Snapshot()
        {
            lock (gate) return new List<Received>(items);
        }

        public List<string> Texts()
        {
            return Snapshot().ConvertAll(r => r.Text);
        }
    }
}
