using HealthBlock.Alerts;

namespace HealthBlock.Gateway.Mqtt;

/// <summary>The broker listener's limits on the process's one <see cref="LimitAlerts"/> summariser.</summary>
public static class ListenerLimitAlerts
{
    /// <summary>The name alerts and totals use for <paramref name="limit"/>.</summary>
    public static string Name(this ListenerLimit limit) => "MQTT listener limit " + limit;

    /// <summary>Counts one hit of <paramref name="limit"/> from <paramref name="address"/>; a refused login is alerted as <see cref="AlertKind.MqttLoginRefused"/>.</summary>
    public static void Count(this LimitAlerts alerts, ListenerLimit limit, string? address, string? clientId = null)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        alerts.Hit(limit.Name(), address, clientId, limit == ListenerLimit.BadCredentials ? AlertKind.MqttLoginRefused : AlertKind.LimitReached);
    }

    /// <summary>Hits of <paramref name="limit"/> since start.</summary>
    public static long Total(this LimitAlerts alerts, ListenerLimit limit)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        return alerts[limit.Name()];
    }
}
