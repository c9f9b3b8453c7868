// Device adapters: .NET nanoFramework on ESP32 only (not built by CI; see firmware/README.md).
using System;
using System.Threading;
using HealthBlock.Wearable.Hardware;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;

namespace HealthBlock.Wearable.Device.Adapters
{
    /// <summary>
    /// MQTT 3.1.1 over nanoFramework.M2Mqtt: MqttClient(host, port, secure: false, null, null, MqttSslProtocols.None),
    /// Connect(clientId, ..., cleanSession: true, keepAlive) returning MqttReasonCode, Publish(topic, payload, null,
    /// null, MqttQoSLevel.AtLeastOnce, false) returning the message id, and the MqttMsgPublished event (MessageId,
    /// IsPublished) raised when the PUBACK arrives. Publish waits for that event, so "true" means acknowledged.
    /// </summary>
    internal sealed class M2MqttUplink : IMqttUplink
    {
        private const ushort KeepAliveSeconds = 30;

        private readonly string _host;
        private readonly int _port;
        private readonly string _clientId;
        private readonly int _ackTimeoutMs;
        private readonly WifiNetwork _wifi;
        private readonly AutoResetEvent _acknowledged = new AutoResetEvent(false);
        private readonly object _lock = new object();
        private MqttClient _client;
        private ushort _ackedId;
        private bool _ackedOk;

        public M2MqttUplink(string host, int port, string clientId, int ackTimeoutMs, WifiNetwork wifi)
        {
            _host = host;
            _port = port;
            _clientId = clientId;
            _ackTimeoutMs = ackTimeoutMs;
            _wifi = wifi;
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
                client = new MqttClient(_host, _port, false, null, null, MqttSslProtocols.None);
                client.MqttMsgPublished += OnPublished;
                MqttReasonCode code = client.Connect(_clientId, null, null, false, MqttQoSLevel.AtMostOnce, false, null, null, true, KeepAliveSeconds);
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

            _acknowledged.Reset();
            ushort id;
            try
            {
                id = client.Publish(topic, payload, null, null, MqttQoSLevel.AtLeastOnce, false);
            }
            catch (Exception)
            {
                return false;
            }

            // One publish is in flight at a time, but an event may still come for an earlier, abandoned one.
            long deadline = DateTime.UtcNow.Ticks + (_ackTimeoutMs * TimeSpan.TicksPerMillisecond);
            while (true)
            {
                long remaining = (deadline - DateTime.UtcNow.Ticks) / TimeSpan.TicksPerMillisecond;
                if (remaining <= 0 || !_acknowledged.WaitOne((int)remaining, false))
                {
                    return false;
                }

                lock (_lock)
                {
                    if (_ackedId == id)
                    {
                        return _ackedOk;
                    }
                }
            }
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
            lock (_lock)
            {
                _ackedId = e.MessageId;
                _ackedOk = e.IsPublished;
            }

            _acknowledged.Set();
        }
    }
}
