namespace HealthBlock.Protocol.Ledger;

/// <summary>Roles an identity may hold.</summary>
public enum Role : byte
{
    /// <summary>A patient (user node).</summary>
    Patient = 1,

    /// <summary>A doctor node.</summary>
    Doctor = 2,

    /// <summary>A wearable device.</summary>
    Device = 3,

    /// <summary>An accounting node of the consortium.</summary>
    AccountingNode = 4,

    /// <summary>A consortium administrator.</summary>
    Admin = 5,

    /// <summary>The statistics node: holds the Paillier key of cohort statistics and decrypts only sums.</summary>
    Statistics = 6,

    /// <summary>An auditor: registered by an admin, reads the whole ledger (every block and every party's records), submits nothing of its own.</summary>
    Auditor = 7,
}
