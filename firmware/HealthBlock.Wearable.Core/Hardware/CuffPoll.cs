// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
namespace HealthBlock.Wearable.Hardware
{
    /// <summary>Results of <see cref="ICuff.Poll"/> (plain integer constants: the device has no generic result types).</summary>
    public static class CuffPoll
    {
        /// <summary>No measurement was started.</summary>
        public const int Idle = 0;

        /// <summary>A measurement is running.</summary>
        public const int Pending = 1;

        /// <summary>The measurement finished; the reading holds systolic, diastolic and pulse.</summary>
        public const int Completed = 2;

        /// <summary>The measurement failed; the reading holds the error code.</summary>
        public const int Failed = 3;
    }
}
