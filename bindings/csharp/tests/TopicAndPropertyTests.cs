// Topic rules come from the engine (ouzel/topic.h); properties survive the trip through the
// engine's list in order, with repeated names and binary values.
using System.Collections.Generic;
using NUnit.Framework;
using Ouzel.Interop;

namespace Ouzel.Mqtt.Tests
{
    [TestFixture]
    public class TopicAndPropertyTests
    {
        [Test]
        public void TopicNames_AndFilters_FollowTheEngine()
        {
            Assert.That(MqttTopic.IsValidName("a/b/c"), Is.True);
            Assert.That(MqttTopic.IsValidName("a/+/c"), Is.False);
            Assert.That(MqttTopic.IsValidFilter("a/+/#"), Is.True);
            Assert.That(MqttTopic.IsValidFilter("a/#/c"), Is.False);
            var e = Assert.Throws<OuzelArgumentException>(() => MqttTopic.ValidateName("a/+/b"));
            Assert.That(e.Detail, Is.StringContaining("byte 2"));
        }

        [Test]
        public void Matching_FollowsTheEngine()
        {
            Assert.That(MqttTopic.Matches("sport/#", "sport"), Is.True);
            Assert.That(MqttTopic.Matches("+/monitor", "$SYS/monitor"), Is.False);
            Assert.That(MqttTopic.Matches("$share/g/a/+", "a/b"), Is.True);
            Assert.Throws<OuzelArgumentException>(() => MqttTopic.Matches("a/#/b", "a"));
        }

        [Test]
        public void Properties_RoundTrip_InOrder_WithRepeatedNames()
        {
            using (var w = new PropertyWriter())
            {
                w.Users(new[] { new MqttUserProperty("k", "1"), new MqttUserProperty("j", "2"), new MqttUserProperty("k", "3") });
                w.Text(Capi.OUZEL_PROP_CONTENT_TYPE, "application/json", "ContentType");
                w.Binary(Capi.OUZEL_PROP_CORRELATION_DATA, new byte[] { 0, 1, 0, 255 }, "CorrelationData");
                w.Int(Capi.OUZEL_PROP_MESSAGE_EXPIRY_INTERVAL, 42u, "MessageExpiryInterval");
                w.Int(Capi.OUZEL_PROP_SUBSCRIPTION_IDENTIFIER, 7u, "SubscriptionIdentifier");
                w.Int(Capi.OUZEL_PROP_SUBSCRIPTION_IDENTIFIER, 9u, "SubscriptionIdentifier");
                PropertyBag bag = NativeProperties.Read(w.Pointer);
                Assert.That(bag.UserProperties, Is.EqualTo(new List<MqttUserProperty>
                {
                    new MqttUserProperty("k", "1"), new MqttUserProperty("j", "2"), new MqttUserProperty("k", "3"),
                }));
                Assert.That(bag.ContentType, Is.EqualTo("application/json"));
                Assert.That(bag.CorrelationData, Is.EqualTo(new byte[] { 0, 1, 0, 255 }));
                Assert.That(bag.MessageExpiryInterval, Is.EqualTo(42u));
                Assert.That(bag.SubscriptionIdentifiers, Is.EqualTo(new List<uint> { 7, 9 }));
            }
        }

        [Test]
        public void AnEmptyWriter_AllocatesNothing()
        {
            using (var w = new PropertyWriter())
            {
                w.Users(null);
                w.Text(Capi.OUZEL_PROP_CONTENT_TYPE, null, "ContentType");
                Assert.That(w.Pointer, Is.EqualTo(System.IntPtr.Zero));
                Assert.That(NativeProperties.Read(w.Pointer), Is.SameAs(PropertyBag.Empty));
            }
        }

        [Test]
        public void Exceptions_CarryTheReasonCodeName()
        {
            var e = new MqttConnectingFailedException("refused",
                MqttClientConnectResult.Refused((int)MqttClientConnectResultCode.BadUserNameOrPassword));
            Assert.That(e.ResultCode, Is.EqualTo(MqttClientConnectResultCode.BadUserNameOrPassword));
            Assert.That(e.Message, Is.StringContaining("0x86").And.StringContaining("user name or password").IgnoreCase);
            Assert.That(e.ReasonCode, Is.EqualTo(0x86));
        }
    }
}
