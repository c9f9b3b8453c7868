// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
using System;

namespace HealthBlock.Wearable.Sampling
{
    /// <summary>Tunables of the wearable, with the firmware's defaults. Validate with <see cref="Validate"/>.</summary>
    public sealed class WearableSettings
    {
        /// <summary>Creates the defaults.</summary>
        public WearableSettings()
        {
            EcgRateHz = 250;
            EcgSamplesPerFrame = 250;
            TemperatureIntervalMs = 30000;
            BloodPressureIntervalMs = 0;
            QueueCapacity = 60;
            TagLength = 32;
            SequenceBlockSize = 64;
            ReconnectInitialMs = 500;
            ReconnectMaxMs = 60000;
            MaxFramesPerPoll = 8;
            UplinkIdlePollMs = 50;
            MaxClockLagMs = 2000;
            CuffPollMs = 100;
        }

        /// <summary>ECG sample rate in hertz (250).</summary>
        public int EcgRateHz { get; set; }

        /// <summary>ECG samples per frame (250: one frame a second at 250 Hz).</summary>
        public int EcgSamplesPerFrame { get; set; }

        /// <summary>Time between temperature readings, ms (0 = never).</summary>
        public int TemperatureIntervalMs { get; set; }

        /// <summary>Time between automatic blood-pressure measurements, ms (0 = only on demand).</summary>
        public int BloodPressureIntervalMs { get; set; }

        /// <summary>Readings the offline queue holds before it drops the oldest (60 ≈ one minute of ECG, ~32 KB).</summary>
        public int QueueCapacity { get; set; }

        /// <summary>HMAC tag length in bytes (16 to 32).</summary>
        public int TagLength { get; set; }

        /// <summary>Sequence numbers reserved per flash write.</summary>
        public int SequenceBlockSize { get; set; }

        /// <summary>First reconnect backoff ceiling, ms.</summary>
        public int ReconnectInitialMs { get; set; }

        /// <summary>Largest reconnect backoff ceiling, ms.</summary>
        public int ReconnectMaxMs { get; set; }

        /// <summary>Most frames one uplink poll sends.</summary>
        public int MaxFramesPerPoll { get; set; }

        /// <summary>How often the uplink looks at an empty queue, ms.</summary>
        public int UplinkIdlePollMs { get; set; }

        /// <summary>
        /// If the sampler falls further behind than this (or the clock jumps), it closes the current ECG frame and
        /// restarts its timeline at the present instead of inventing samples for the gap.
        /// </summary>
        public int MaxClockLagMs { get; set; }

        /// <summary>How often a running cuff measurement is polled, ms.</summary>
        public int CuffPollMs { get; set; }

        /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
        public void Validate()
        {
            Check(EcgRateHz >= 1 && EcgRateHz <= 4000, "EcgRateHz");
            Check(EcgSamplesPerFrame >= 1 && EcgSamplesPerFrame <= 2048, "EcgSamplesPerFrame");
            Check(TemperatureIntervalMs >= 0, "TemperatureIntervalMs");
            Check(BloodPressureIntervalMs >= 0, "BloodPressureIntervalMs");
            Check(QueueCapacity >= 1, "QueueCapacity");
            Check(TagLength >= 16 && TagLength <= 32, "TagLength");
            Check(SequenceBlockSize >= 1, "SequenceBlockSize");
            Check(ReconnectInitialMs >= 1 && ReconnectMaxMs >= ReconnectInitialMs, "ReconnectMaxMs");
            Check(MaxFramesPerPoll >= 1, "MaxFramesPerPoll");
            Check(UplinkIdlePollMs >= 1, "UplinkIdlePollMs");
            Check(MaxClockLagMs >= 100, "MaxClockLagMs");
            Check(CuffPollMs >= 1, "CuffPollMs");
        }

        private static void Check(bool ok, string name)
        {
            if (!ok)
            {
                throw new ArgumentOutOfRangeException(name);
            }
        }
    }
}
