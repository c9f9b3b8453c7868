namespace HealthBlock.Doctor;

/// <summary>A critical condition the doctor node saw on the live path (raised before its alarm diagnosis is written).</summary>
/// <param name="Patient">The patient id.</param>
/// <param name="Condition">The condition (e.g. <c>asystole</c>, <c>high-fever</c>, <c>hypertensive-crisis</c>).</param>
/// <param name="ReadingMs">Device time of the reading that made the condition true.</param>
/// <param name="SeenMs">When this node saw it (its clock).</param>
public sealed record LiveAlarmEventArgs(string Patient, string Condition, long ReadingMs, long SeenMs)
{
    /// <summary>From the reading to this node seeing the condition.</summary>
    public TimeSpan Latency => TimeSpan.FromMilliseconds(SeenMs - ReadingMs);
}
