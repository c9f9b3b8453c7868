using HealthBlock.Ledger;

namespace HealthBlock.Doctor;

/// <summary>A diagnosis committed on Docchain (raised once per automated diagnosis).</summary>
public sealed class DiagnosisCommittedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    public DiagnosisCommittedEventArgs(string transactionId, string patient, uint epoch, ulong number, TxLocation location, IReadOnlyList<string> covers, long earliestReadingMs, long committedMs, string kind = DiagnosisKinds.AutomatedScreening)
    {
        Kind = kind;
        TransactionId = transactionId;
        Patient = patient;
        Epoch = epoch;
        Number = number;
        Location = location;
        Covers = covers;
        EarliestReadingMs = earliestReadingMs;
        CommittedMs = committedMs;
    }

    /// <summary>One of <see cref="DiagnosisKinds"/>.</summary>
    public string Kind { get; }

    /// <summary>The diagnosis transaction id (hex).</summary>
    public string TransactionId { get; }

    /// <summary>The patient id.</summary>
    public string Patient { get; }

    /// <summary>The key epoch it is encrypted under.</summary>
    public uint Epoch { get; }

    /// <summary>The doctor's diagnosis number.</summary>
    public ulong Number { get; }

    /// <summary>Where it committed.</summary>
    public TxLocation Location { get; }

    /// <summary>The IoT transactions it covers (hex ids).</summary>
    public IReadOnlyList<string> Covers { get; }

    /// <summary>Reading time (device timestamp, ms since the Unix epoch) of the earliest frame covered.</summary>
    public long EarliestReadingMs { get; }

    /// <summary>When this node saw the commit (its clock, ms since the Unix epoch).</summary>
    public long CommittedMs { get; }

    /// <summary>From the earliest frame's reading to the commit.</summary>
    public TimeSpan Latency => TimeSpan.FromMilliseconds(CommittedMs - EarliestReadingMs);
}
