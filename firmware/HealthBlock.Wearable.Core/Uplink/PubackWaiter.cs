// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
using System;
using System.Threading;
using HealthBlock.Wearable.Hardware;

namespace HealthBlock.Wearable.Uplink
{
    /// <summary>
    /// Matches the MQTT client's "published" events (raised on its own thread when a PUBACK arrives) to the one
    /// QoS 1 publish in flight: <see cref="Wait"/> returns true only for an acknowledgement of that message id,
    /// ignoring late events of earlier, abandoned publishes.
    /// </summary>
    public sealed class PubackWaiter
    {
        private readonly object _lock = new object();
        private readonly AutoResetEvent _signal = new AutoResetEvent(false);
        private readonly IClock _clock;
        private int _lastId = -1;
        private bool _lastOk;

        /// <summary>Creates a waiter timing out by <paramref name="clock"/>.</summary>
        public PubackWaiter(IClock clock)
        {
            if (clock == null)
            {
                throw new ArgumentNullException("clock");
            }

            _clock = clock;
        }

        /// <summary>Forgets earlier events; call before each publish.</summary>
        public void Reset()
        {
            lock (_lock)
            {
                _lastId = -1;
                _lastOk = false;
            }

            _signal.Reset();
        }

        /// <summary>Records a "published" event (any thread).</summary>
        /// <param name="messageId">The message id the event is for.</param>
        /// <param name="published">Whether the broker took the message.</param>
        public void OnPublished(ushort messageId, bool published)
        {
            lock (_lock)
            {
                _lastId = messageId;
                _lastOk = published;
            }

            _signal.Set();
        }

        /// <summary>
        /// Waits up to <paramref name="timeoutMs"/> for the event of <paramref name="messageId"/>; true only when it
        /// came and said published.
        /// </summary>
        public bool Wait(ushort messageId, int timeoutMs)
        {
            long deadline = _clock.UtcNowMs + timeoutMs;
            while (true)
            {
                lock (_lock)
                {
                    if (_lastId == messageId)
                    {
                        return _lastOk;
                    }
                }

                long remaining = deadline - _clock.UtcNowMs;
                if (remaining <= 0)
                {
                    return false;
                }

                _signal.WaitOne((int)remaining, false);
            }
        }
    }
}
