namespace HealthBlock.Protocol.Ledger;

/// <summary>Kinds of transaction.</summary>
public enum TransactionType : byte
{
    /// <summary>Registers an identity with a role.</summary>
    Register = 1,

    /// <summary>An admin issues Healthcoin.</summary>
    Issue = 2,

    /// <summary>A patient pays a doctor in Healthcoin.</summary>
    Payment = 3,

    /// <summary>A patient publishes the envelopes of a key epoch.</summary>
    Key = 4,

    /// <summary>A patient's gateway announces an encrypted batch of IoT data.</summary>
    Iot = 5,

    /// <summary>A doctor publishes an encrypted diagnosis.</summary>
    Diagnosis = 6,
}
