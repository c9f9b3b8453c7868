namespace HealthBlock.Doctor;

/// <summary>
/// A critical condition the doctor node saw on the live path: raised when it is seen (before its alarm diagnosis is
/// written, <see cref="DoctorNode.LiveAlarm"/>) and again once the alarm is submitted to the ledger
/// (<see cref="DoctorNode.LiveAlarmSubmitted"/>, with <see cref="StoredMs"/> and <see cref="SubmittedMs"/> set). The
/// stage times let a run say where an alarm's latency goes.
/// </summary>
/// <param name="Patient">The patient id.</param>
/// <param name="Condition">The condition (e.g. <c>asystole</c>, <c>high-fever</c>, <c>hypertensive-crisis</c>).</param>
/// <param name="ReadingMs">Device time of the reading that made the condition true.</param>
/// <param name="SeenMs">When this node saw it (its clock).</param>
public sealed record LiveAlarmEventArgs(string Patient, string Condition, long ReadingMs, long SeenMs)
{
    /// <summary>From the reading to this node seeing the condition.</summary>
    public TimeSpan Latency => TimeSpan.FromMilliseconds(SeenMs - ReadingMs);

    /// <summary>Device time of the end of the newest frame in the sub-batch that revealed the condition.</summary>
    public long FrameEndMs { get; init; }

    /// <summary>When this node received that sub-batch (before opening and analysing it).</summary>
    public long ReceivedMs { get; init; }

    /// <summary>The SHA-256 of that sealed sub-batch (lowercase hex): joins the gateway's seal time in a devnet run.</summary>
    public string SubBatchHash { get; init; } = "";

    /// <summary>When the sealed alarm document was stored in the content store (0 until submitted).</summary>
    public long StoredMs { get; init; }

    /// <summary>When the ledger accepted the alarm transaction for ordering (0 until submitted).</summary>
    public long SubmittedMs { get; init; }
}
