namespace HealthBlock.Alerts;

/// <summary>Helpers over <see cref="AlertKind"/>.</summary>
public static class AlertKinds
{
    /// <summary>The severity an alert of <paramref name="kind"/> gets unless its raiser says otherwise.</summary>
    public static AlertSeverity DefaultSeverity(AlertKind kind) => kind switch
    {
        AlertKind.AuditMismatch or AlertKind.StoreTampered or AlertKind.BlockRefused or AlertKind.ImpostorPeer or AlertKind.BlockMissing or AlertKind.HistoryRewritten => AlertSeverity.Critical,
        AlertKind.FrameMalformed or AlertKind.DeviceNotActive or AlertKind.Other => AlertSeverity.Info,
        _ => AlertSeverity.Warning,
    };

    /// <summary>Every defined kind, in declaration order.</summary>
    public static IReadOnlyList<AlertKind> All { get; } = Enum.GetValues<AlertKind>();
}
