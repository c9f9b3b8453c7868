// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
using System;

namespace HealthBlock.Wearable.Uplink
{
    /// <summary>
    /// Exponential reconnect backoff in integer milliseconds: the ceiling doubles from the initial delay up to the
    /// maximum, and each delay is drawn from [ceiling / 2, ceiling] so that many wearables cut off by the same broker
    /// restart do not reconnect in lockstep. The jitter comes from a small xorshift generator seeded per device.
    /// </summary>
    public sealed class Backoff
    {
        private readonly int _initialMs;
        private readonly int _maxMs;
        private int _ceilingMs;
        private uint _state;

        /// <summary>Creates a backoff.</summary>
        /// <param name="initialMs">First ceiling (at least 1 ms).</param>
        /// <param name="maxMs">Largest ceiling.</param>
        /// <param name="seed">Jitter seed (e.g. derived from the device id); any value.</param>
        public Backoff(int initialMs, int maxMs, uint seed)
        {
            if (initialMs < 1 || maxMs < initialMs)
            {
                throw new ArgumentOutOfRangeException("maxMs");
            }

            _initialMs = initialMs;
            _maxMs = maxMs;
            _ceilingMs = initialMs;
            _state = seed == 0 ? 0x9E3779B9 : seed;
        }

        /// <summary>The ceiling the next delay is drawn under.</summary>
        public int CeilingMs
        {
            get { return _ceilingMs; }
        }

        /// <summary>Failures in a row since the last <see cref="Reset"/>.</summary>
        public int Attempts { get; private set; }

        /// <summary>Returns the delay before the next attempt and doubles the ceiling (up to the maximum).</summary>
        public int NextDelayMs()
        {
            int ceiling = _ceilingMs;
            int floor = ceiling / 2;
            int span = ceiling - floor;
            int delay = floor + (int)(NextRandom() % (uint)(span + 1));
            _ceilingMs = ceiling > _maxMs / 2 ? _maxMs : ceiling * 2;
            Attempts++;
            return delay;
        }

        /// <summary>Back to the initial ceiling (after a success).</summary>
        public void Reset()
        {
            _ceilingMs = _initialMs;
            Attempts = 0;
        }

        private uint NextRandom()
        {
            uint x = _state;
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            _state = x;
            return x;
        }
    }
}
