// Device adapter: .NET nanoFramework on ESP32 (compiled in CI by HealthBlock.Wearable.NanoCheck; see firmware/README.md).
using System;
using System.Security.Cryptography.X509Certificates;
using HealthBlock.Wearable.Hardware;
using HealthBlock.Wearable.Uplink;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;

namespace HealthBlock.Wearable.Device.Adapters
{
    /// <summary>
    /// MQTT 3.1.1 over nanoFramework.M2Mqtt, set up from <see cref="BrokerConnection"/> (the pairing blob): with TLS,
    /// <c>MqttClient(host, port, secure: true, caCert, null, MqttSslProtocols.TLSv1_2)</c>, which makes mbedTLS
    /// authenticate the server against that one CA certificate (no validation callback exists or is needed); plain
    /// TCP only when the blob says <c>transport=plaintext</c>. <c>Connect</c> sends the blob's user name and
    /// password. <c>Publish(..., MqttQoSLevel.AtLeastOnce, false)</c> returns the message id, and the
    /// <c>MqttMsgPublished</c> event (raised when the PUBACK arrives) completes it through a <see cref="PubackWaiter"/>,
    /// so "true" means acknowledged.
    /// </summary>
    internal sealed class M2MqttUplink : IMqttUplink
    {
        private readonly BrokerConnection _broker;
        private readonly X509Certificate _caCertificate;
        private readonly int _ackTimeoutMs;
        private readonly WifiNetwork _wifi;
        private readonly PubackWaiter _acks;
        private MqttClient _client;

        public M2MqttUplink(BrokerConnection broker, int ackTimeoutMs, WifiNetwork wifi, IClock clock)
        {
            _broker = broker;
            _caCertificate = broker.UseTls ? new X509Certificate(broker.GetCaCertificate()) : null;
            _ackTimeoutMs = ackTimeoutMs;
            _wifi = wifi;
            _acks = new PubackWaiter(clock);
        }

        public bool IsConnected
        {
            get
            {
                MqttClient client = _client;
                return client != null && client.IsConnected;
            }
        }

        public bool Connect()
        {
            Disconnect();
            if (!_wifi.EnsureConnected(30000))
            {
                return false;
            }

            MqttClient client = null;
            try
            {
                client = _broker.UseTls
                    ? new MqttClient(_broker.Host, _broker.Port, true, _caCertificate, null, MqttSslProtocols.TLSv1_2)
                    : new MqttClient(_broker.Host, _broker.Port, false, null, null, MqttSslProtocols.None);
                client.MqttMsgPublished += OnPublished;
                MqttReasonCode code = client.Connect(
                    _broker.ClientId, _broker.Username, _broker.Password, false, MqttQoSLevel.AtMostOnce, false, null, null, true, BrokerConnection.KeepAliveSeconds);
                if (code != MqttReasonCode.Success)
                {
                    client.Close();
                    return false;
                }

                _client = client;
                return true;
            }
            catch (Exception)
            {
                if (client != null)
                {
                    client.Close();
                }

                return false;
            }
        }

        public bool Publish(string topic, byte[] payload)
        {
            MqttClient client = _client;
            if (client == null || !client.IsConnected)
            {
                return false;
            }

            _acks.Reset();
            ushort id;
            try
            {
                id = client.Publish(topic, payload, null, null, MqttQoSLevel.AtLeastOnce, false);
            }
            catch (Exception)
            {
                return false;
            }

            return _acks.Wait(id, _ackTimeoutMs);
        }

        public void Disconnect()
        {
            MqttClient client = _client;
            _client = null;
            if (client == null)
            {
                return;
            }

            try
            {
                if (client.IsConnected)
                {
                    client.Disconnect();
                }
            }
            catch (Exception)
            {
            }

            try
            {
                client.Close();
            }
            catch (Exception)
            {
            }
        }

        private void OnPublished(object sender, MqttMsgPublishedEventArgs e)
        {
            _acks.OnPublished(e.MessageId, e.IsPublished);
        }
    }
}
