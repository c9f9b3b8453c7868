// Device adapter: .NET nanoFramework on ESP32 (compiled in CI by HealthBlock.Wearable.NanoCheck; see firmware/README.md).
using System;
using HealthBlock.Wearable.Hardware;

namespace HealthBlock.Wearable.Device.Adapters
{
    /// <summary>The ESP32's RTC, set by SNTP once Wi-Fi is up (DateTime.UtcNow, DateTime.UnixEpoch).</summary>
    internal sealed class RtcClock : IClock
    {
        private static readonly long EpochTicks = DateTime.UnixEpoch.Ticks;

        public long UtcNowMs
        {
            get { return (DateTime.UtcNow.Ticks - EpochTicks) / TimeSpan.TicksPerMillisecond; }
        }
    }
}
