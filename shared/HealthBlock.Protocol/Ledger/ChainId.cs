namespace HealthBlock.Protocol.Ledger;

/// <summary>The two chains.</summary>
public enum ChainId : byte
{
    /// <summary>Registrations, issuance, payments, key and IoT transactions.</summary>
    Userchain = 1,

    /// <summary>Diagnosis transactions.</summary>
    Docchain = 2,
}
