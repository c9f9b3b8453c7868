namespace HealthBlock.Protocol.Ledger;

/// <summary>The two chains.</summary>
public enum ChainId : byte
{
    /// <summary>Registrations, issuance, payments, key and IoT transactions.</summary>
    Userchain = 1,

    /// <summary>Diagnosis transactions.</summary>
    Docchain = 2,
}

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
}

/// <summary>Helpers over the ledger enums.</summary>
public static class LedgerNames
{
    /// <summary>The chain a transaction type belongs to.</summary>
    public static ChainId ChainOf(TransactionType type) => type == TransactionType.Diagnosis ? ChainId.Docchain : ChainId.Userchain;

    /// <summary>Parses a role name as the CLI writes it (patient, doctor, device, node, admin).</summary>
    public static bool TryParseRole(string? text, out Role role)
    {
        role = text?.ToLowerInvariant() switch
        {
            "patient" => Role.Patient,
            "doctor" => Role.Doctor,
            "device" => Role.Device,
            "node" or "accounting" or "accountingnode" => Role.AccountingNode,
            "admin" => Role.Admin,
            _ => 0,
        };
        return role != 0;
    }

    /// <summary>The CLI name of a role.</summary>
    public static string RoleName(Role role) => role switch
    {
        Role.Patient => "patient",
        Role.Doctor => "doctor",
        Role.Device => "device",
        Role.AccountingNode => "node",
        Role.Admin => "admin",
        _ => "unknown",
    };
}
