// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
using System;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Mqtt;
using HealthBlock.Wearable.Hardware;
using HealthBlock.Wearable.Storage;

namespace HealthBlock.Wearable.Uplink
{
    /// <summary>
    /// Drains the offline queue into MQTT: connects with exponential backoff, numbers and signs each reading when
    /// it is first sent, and keeps that exact frame until the broker acknowledges it (a retry after a reconnect
    /// sends the same bytes, so the gateway sees at most a duplicate, never a renumbered copy).
    /// </summary>
    /// <remarks>
    /// Driven by <see cref="Poll"/> from one thread (the device's uplink thread, or an emulator's step loop).
    /// </remarks>
    public sealed class UplinkPump
    {
        private readonly IMqttUplink _uplink;
        private readonly ReadingQueue _queue;
        private readonly SequenceCounter _sequence;
        private readonly FrameBuilder _builder;
        private readonly Backoff _backoff;
        private readonly string _ecgTopic;
        private readonly string _bloodPressureTopic;
        private readonly string _temperatureTopic;
        private readonly int _maxFramesPerPoll;
        private readonly int _idlePollMs;
        private bool _connected;
        private long _nextAttemptMs;
        private byte[] _inflight;
        private string _inflightTopic;

        /// <summary>Creates the pump.</summary>
        /// <param name="uplink">The MQTT adapter.</param>
        /// <param name="queue">The offline queue it drains.</param>
        /// <param name="sequence">The persisted sequence counter.</param>
        /// <param name="builder">Builds signed frames.</param>
        /// <param name="backoff">Reconnect delays.</param>
        /// <param name="baseTopic">The device's base topic <c>hb/&lt;patient&gt;/&lt;device&gt;</c>.</param>
        /// <param name="maxFramesPerPoll">Most frames one poll sends before returning.</param>
        /// <param name="idlePollMs">How long to wait before looking at an empty queue again.</param>
        public UplinkPump(
            IMqttUplink uplink,
            ReadingQueue queue,
            SequenceCounter sequence,
            FrameBuilder builder,
            Backoff backoff,
            string baseTopic,
            int maxFramesPerPoll,
            int idlePollMs)
        {
            if (uplink == null || queue == null || sequence == null || builder == null || backoff == null || baseTopic == null)
            {
                throw new ArgumentNullException("uplink");
            }

            if (maxFramesPerPoll < 1 || idlePollMs < 1)
            {
                throw new ArgumentOutOfRangeException("maxFramesPerPoll");
            }

            _uplink = uplink;
            _queue = queue;
            _sequence = sequence;
            _builder = builder;
            _backoff = backoff;
            _ecgTopic = DeviceTopics.ForKind(baseTopic, FrameLayout.KindEcg);
            _bloodPressureTopic = DeviceTopics.ForKind(baseTopic, FrameLayout.KindBloodPressure);
            _temperatureTopic = DeviceTopics.ForKind(baseTopic, FrameLayout.KindTemperature);
            _maxFramesPerPoll = maxFramesPerPoll;
            _idlePollMs = idlePollMs;
        }

        /// <summary>Frames the broker acknowledged.</summary>
        public long FramesSent { get; private set; }

        /// <summary>Sessions opened.</summary>
        public int Connects { get; private set; }

        /// <summary>Connection attempts that failed.</summary>
        public int ConnectFailures { get; private set; }

        /// <summary>Publishes that failed or were not acknowledged (each leads to a reconnect).</summary>
        public int PublishFailures { get; private set; }

        /// <summary>Times a frame could not be numbered because the counter store failed.</summary>
        public int SequenceFailures { get; private set; }

        /// <summary>Whether a signed frame is waiting for its acknowledgement.</summary>
        public bool HasFrameInFlight
        {
            get { return _inflight != null; }
        }

        /// <summary>Whether the pump holds a session it believes is up.</summary>
        public bool IsConnected
        {
            get { return _connected; }
        }

        /// <summary>
        /// Does the uplink work due at <paramref name="nowMs"/> and returns when it wants to run next
        /// (<paramref name="nowMs"/> itself when more frames are ready).
        /// </summary>
        public long Poll(long nowMs)
        {
            if (_connected && !_uplink.IsConnected)
            {
                LoseConnection(nowMs);
            }

            if (!_connected)
            {
                if (nowMs < _nextAttemptMs)
                {
                    return _nextAttemptMs;
                }

                if (_inflight == null && _queue.Peek() == null)
                {
                    // Nothing to send: stay offline until there is.
                    return nowMs + _idlePollMs;
                }

                bool opened;
                try
                {
                    opened = _uplink.Connect();
                }
                catch (Exception)
                {
                    opened = false;
                }

                if (!opened)
                {
                    ConnectFailures++;
                    _nextAttemptMs = nowMs + _backoff.NextDelayMs();
                    return _nextAttemptMs;
                }

                _connected = true;
                Connects++;
            }

            for (int i = 0; i < _maxFramesPerPoll; i++)
            {
                if (_inflight == null && !PrepareNext())
                {
                    return _queue.Peek() == null ? nowMs + _idlePollMs : nowMs + _backoff.CeilingMs;
                }

                bool acknowledged;
                try
                {
                    acknowledged = _uplink.Publish(_inflightTopic, _inflight);
                }
                catch (Exception)
                {
                    acknowledged = false;
                }

                if (!acknowledged)
                {
                    PublishFailures++;
                    LoseConnection(nowMs);
                    return _nextAttemptMs;
                }

                FramesSent++;
                _inflight = null;
                _inflightTopic = null;
                _backoff.Reset();
            }

            return nowMs;
        }

        /// <summary>Closes the session (used when stopping).</summary>
        public void Disconnect()
        {
            _connected = false;
            _uplink.Disconnect();
        }

        private void LoseConnection(long nowMs)
        {
            _connected = false;
            _uplink.Disconnect();
            _nextAttemptMs = nowMs + _backoff.NextDelayMs();
        }

        private bool PrepareNext()
        {
            Reading reading = _queue.Peek();
            if (reading == null)
            {
                return false;
            }

            uint sequence;
            try
            {
                sequence = _sequence.Next();
            }
            catch (Exception)
            {
                SequenceFailures++;
                return false;
            }

            // The sampler only appends, so the head is still 'reading' unless the queue overflowed meanwhile.
            reading = _queue.Dequeue();
            if (reading == null)
            {
                return false;
            }

            int dropped = _queue.TakeDropped();
            _inflight = _builder.Build(reading, sequence, dropped);
            _inflightTopic = TopicFor(reading.Kind);
            return true;
        }

        private string TopicFor(byte kind)
        {
            if (kind == FrameLayout.KindEcg)
            {
                return _ecgTopic;
            }

            return kind == FrameLayout.KindBloodPressure ? _bloodPressureTopic : _temperatureTopic;
        }
    }
}
