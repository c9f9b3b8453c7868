// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
using System;
using System.Threading;
using HealthBlock.Wearable.Hardware;

namespace HealthBlock.Wearable
{
    /// <summary>
    /// Runs a <see cref="WearableCore"/> in real time on two threads: the sampler (above normal priority) and the
    /// uplink, so a slow publish or a reconnect never delays a sample. Each loop sleeps until its next due time or
    /// until <see cref="Stop"/>.
    /// </summary>
    public sealed class WearableRunner
    {
        private const int MaxSleepMs = 1000;
        private const int ErrorPauseMs = 1000;

        private readonly WearableCore _core;
        private readonly ManualResetEvent _stop = new ManualResetEvent(false);
        private readonly object _lock = new object();
        private Thread _sampler;
        private Thread _uplink;
        private Exception _lastError;
        private int _errors;

        /// <summary>Creates a runner for <paramref name="core"/>.</summary>
        public WearableRunner(WearableCore core)
        {
            if (core == null)
            {
                throw new ArgumentNullException("core");
            }

            _core = core;
        }

        /// <summary>The last exception a loop caught (the loop pauses a second and goes on).</summary>
        public Exception LastError
        {
            get
            {
                lock (_lock)
                {
                    return _lastError;
                }
            }
        }

        /// <summary>Exceptions caught by both loops.</summary>
        public int Errors
        {
            get
            {
                lock (_lock)
                {
                    return _errors;
                }
            }
        }

        /// <summary>Starts both threads.</summary>
        /// <exception cref="InvalidOperationException">Already started.</exception>
        public void Start()
        {
            if (_sampler != null)
            {
                throw new InvalidOperationException("already started");
            }

            _stop.Reset();
            _sampler = new Thread(SamplerLoop);
            _sampler.Priority = ThreadPriority.AboveNormal;
            _uplink = new Thread(UplinkLoop);
            _sampler.Start();
            _uplink.Start();
        }

        /// <summary>
        /// Stops both threads (waiting up to <paramref name="timeoutMs"/> for each), queues the partial ECG frame and
        /// closes the MQTT session. Returns <c>false</c> if a thread did not end in time.
        /// </summary>
        public bool Stop(int timeoutMs)
        {
            if (_sampler == null)
            {
                return true;
            }

            _stop.Set();
            bool ended = _sampler.Join(timeoutMs);
            ended = _uplink.Join(timeoutMs) && ended;
            _sampler = null;
            _uplink = null;
            _core.Sampler.Flush();
            _core.Uplink.Disconnect();
            return ended;
        }

        private void SamplerLoop()
        {
            Loop(true);
        }

        private void UplinkLoop()
        {
            Loop(false);
        }

        private void Loop(bool sampler)
        {
            IClock clock = _core.Clock;
            while (!_stop.WaitOne(0, false))
            {
                long next;
                try
                {
                    next = sampler ? _core.PollSampler() : _core.PollUplink();
                }
                catch (Exception e)
                {
                    lock (_lock)
                    {
                        _lastError = e;
                        _errors++;
                    }

                    next = clock.UtcNowMs + ErrorPauseMs;
                }

                long wait = next - clock.UtcNowMs;
                if (wait > 0)
                {
                    _stop.WaitOne(wait > MaxSleepMs ? MaxSleepMs : (int)wait, false);
                }
            }
        }
    }
}
