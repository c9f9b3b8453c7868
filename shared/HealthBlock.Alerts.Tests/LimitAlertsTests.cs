namespace HealthBlock.Alerts.Tests;

public sealed class LimitAlertsTests
{
    [Fact]
    public void A_flood_of_hits_is_one_alert_then_one_summary_per_window_per_limit_even_when_the_flood_has_stopped()
    {
        var clock = new ManualTimeProvider();
        var raised = new List<Alert>();
        using var hub = new AlertHub([new CallbackAlertSink("test", raised.Add)]);
        using var limits = new LimitAlerts(hub, "node-1", TimeSpan.FromMinutes(1), clock);

        for (var i = 0; i < 1000; i++)
        {
            limits.Hit("connections per source", $"10.0.0.{i % 7}:{40000 + i}");
        }

        limits.Hit("body size", "10.0.0.9");
        Assert.Equal(2, raised.Count);
        Assert.Equal("10.0.0.0:40000", raised[0].ClientAddress);
        Assert.Equal("connections per source", raised[0].Details["limit"]);
        Assert.Equal(AlertKind.LimitReached, raised[1].Kind);
        Assert.Equal(1000, limits["connections per source"]);

        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(2, raised.Count);
        clock.Advance(TimeSpan.FromSeconds(31));
        var summary = Assert.Single(raised.Skip(2));
        Assert.Contains("999 more times", summary.Message, StringComparison.Ordinal);
        Assert.Contains("from 7 source(s), 143 from the busiest, 10.0.0.", summary.Message, StringComparison.Ordinal);
        Assert.Equal("1000", summary.Details["total"]);

        limits.Hit("connections per source", "10.0.0.3");
        Assert.Equal(3, raised.Count);
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(4, raised.Count);
        Assert.Contains("1 more times in 60 s from 1 source(s), 1 from the busiest, 10.0.0.3", raised[3].Message, StringComparison.Ordinal);
        Assert.Equal(4, hub.Count(AlertKind.LimitReached));
        Assert.Equal(4, limits.AlertsRaised);
    }

    [Fact]
    public void Hits_left_when_it_is_disposed_go_out_as_a_summary_and_a_refused_login_keeps_its_own_kind()
    {
        var clock = new ManualTimeProvider();
        var raised = new List<Alert>();
        using var hub = new AlertHub([new CallbackAlertSink("test", raised.Add)]);
        var limits = new LimitAlerts(hub, "gateway", TimeSpan.FromMinutes(1), clock);
        limits.Hit("MQTT login", "10.0.0.1", "dev-1", AlertKind.MqttLoginRefused);
        limits.Hit("MQTT login", "10.0.0.2", "dev-2", AlertKind.MqttLoginRefused);
        Assert.Equal("dev-1", Assert.Single(raised).ClientId);

        limits.Dispose();
        Assert.Equal(2, raised.Count);
        Assert.All(raised, a => Assert.Equal(AlertKind.MqttLoginRefused, a.Kind));
        Assert.Contains("1 more times", raised[1].Message, StringComparison.Ordinal);
    }
}
