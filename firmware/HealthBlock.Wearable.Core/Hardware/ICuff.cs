// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
namespace HealthBlock.Wearable.Hardware
{
    /// <summary>
    /// A blood-pressure cuff. A measurement takes tens of seconds, so it is started and then polled: nothing here
    /// blocks the ECG sampling that runs on the same schedule.
    /// </summary>
    public interface ICuff
    {
        /// <summary>Starts a measurement at <paramref name="nowMs"/>. Returns <c>false</c> if one is already running.</summary>
        bool StartMeasurement(long nowMs);

        /// <summary>
        /// Advances the measurement: returns <see cref="CuffPoll.Pending"/> while it runs, or
        /// <see cref="CuffPoll.Completed"/> / <see cref="CuffPoll.Failed"/> once, after filling <paramref name="result"/>.
        /// Returns <see cref="CuffPoll.Idle"/> when no measurement was started.
        /// </summary>
        int Poll(long nowMs, BloodPressureReading result);
    }

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

    /// <summary>One blood-pressure result (or the reason there is none).</summary>
    public sealed class BloodPressureReading
    {
        /// <summary>Systolic pressure in mmHg.</summary>
        public int Systolic { get; set; }

        /// <summary>Diastolic pressure in mmHg.</summary>
        public int Diastolic { get; set; }

        /// <summary>Pulse in beats per minute.</summary>
        public int Pulse { get; set; }

        /// <summary>The cuff's status field of a result (0 normal, 1 irregular heartbeat, 2 movement).</summary>
        public int Status { get; set; }

        /// <summary>For a failed measurement: the cuff's error code, or a local one (see <c>CuffProtocol</c>).</summary>
        public int ErrorCode { get; set; }

        /// <summary>Clears every field.</summary>
        public void Clear()
        {
            Systolic = 0;
            Diastolic = 0;
            Pulse = 0;
            Status = 0;
            ErrorCode = 0;
        }
    }
}
