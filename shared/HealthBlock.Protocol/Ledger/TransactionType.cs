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

    /// <summary>A statistics identity publishes its Paillier public key.</summary>
    StatisticsKey = 7,

    /// <summary>A patient opts in to, or out of, a statistics identity's cohort statistics.</summary>
    StatisticsConsent = 8,

    /// <summary>A patient's gateway contributes one period's encrypted vital-sign counters.</summary>
    StatisticsContribution = 9,

    /// <summary>An admin sets a statistics identity's k (the smallest cohort it may decrypt).</summary>
    StatisticsPolicy = 10,

    /// <summary>A statistics identity records a decryption of a cohort sum (who asked, which cohort, which k).</summary>
    StatisticsDecryption = 11,
}
