namespace HealthBlock.Alerts.Tests;

public sealed class LimitAlertsTests
{
    [Fact]
    public void A_flood_of_hits_is_one_alert_then_one_summary_per_window_per_limit()
    {
        var clock = new ManualTimeProvider();
        var raised = new List<Alert>();
        using var hub = new AlertHub([new CallbackAlertSink("test", raised.Add)]);
        var limits = new LimitAlerts(hub, "node-1", clock) { Window = TimeSpan.FromMinutes(1) };

        for (var i = 0; i < 1000; i++)
        {
            limits.Hit("connections per source", $"10.0.0.{i % 7}");
        }

        limits.Hit("body size", "10.0.0.9");
        Assert.Equal(2, raised.Count);
        Assert.Equal("10.0.0.0", raised[0].ClientAddress);
        Assert.Equal("connections per source", raised[0].Details["limit"]);
        Assert.Equal(AlertKind.LimitReached, raised[1].Kind);

        clock.Advance(TimeSpan.FromSeconds(61));
        limits.Hit("connections per source", "10.0.0.3");
        Assert.Equal(3, raised.Count);
        Assert.Contains("1000 more times", raised[2].Message, StringComparison.Ordinal);
        Assert.Contains("from 7 source(s)", raised[2].Message, StringComparison.Ordinal);
        Assert.Equal("10.0.0.3", raised[2].ClientAddress);
        Assert.Equal(3, hub.Count(AlertKind.LimitReached));
    }
}
