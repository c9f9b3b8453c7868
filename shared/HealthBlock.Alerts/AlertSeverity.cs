namespace HealthBlock.Alerts;

/// <summary>How urgent an alert is.</summary>
public enum AlertSeverity
{
    /// <summary>Worth recording; no action needed.</summary>
    Info = 0,

    /// <summary>Possibly an attack or a fault; look at it.</summary>
    Warning = 1,

    /// <summary>Integrity of stored or ledger data is in question; act now.</summary>
    Critical = 2,
}
