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
}
