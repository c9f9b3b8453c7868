// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
namespace HealthBlock.Wearable.Hardware
{
    /// <summary>Wall-clock time. The device reads its SNTP-set RTC; emulators use a virtual clock.</summary>
    public interface IClock
    {
        /// <summary>Milliseconds since the Unix epoch (UTC). Frame timestamps and all schedules use it.</summary>
        long UtcNowMs { get; }
    }
}
