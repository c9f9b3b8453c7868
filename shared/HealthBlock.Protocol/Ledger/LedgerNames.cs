namespace HealthBlock.Protocol.Ledger;

/// <summary>Helpers over the ledger enums.</summary>
public static class LedgerNames
{
    /// <summary>The chain a transaction type belongs to.</summary>
    public static ChainId ChainOf(TransactionType type) => type == TransactionType.Diagnosis ? ChainId.Docchain : ChainId.Userchain;

    /// <summary>Parses a role name as the CLI writes it (patient, doctor, device, node, admin, statistics, auditor).</summary>
    public static bool TryParseRole(string? text, out Role role)
    {
        role = text?.ToLowerInvariant() switch
        {
            "patient" => Role.Patient,
            "doctor" => Role.Doctor,
            "device" => Role.Device,
            "node" or "accounting" or "accountingnode" => Role.AccountingNode,
            "admin" => Role.Admin,
            "statistics" => Role.Statistics,
            "auditor" => Role.Auditor,
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
        Role.Statistics => "statistics",
        Role.Auditor => "auditor",
        _ => "unknown",
    };
}
