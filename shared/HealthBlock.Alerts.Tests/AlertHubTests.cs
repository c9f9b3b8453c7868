using Microsoft.Extensions.Logging;

namespace HealthBlock.Alerts.Tests;

public class AlertHubTests
{
    [Fact]
    public void A_failing_sink_is_logged_and_counted_and_the_other_sinks_still_get_the_alert()
    {
        var logger = new CapturingLogger();
        var received = new List<Alert>();
        using var hub = new AlertHub(
            [
                new CallbackAlertSink("broken", _ => throw new InvalidOperationException("sink down")),
                new CallbackAlertSink("led", received.Add),
            ],
            logger);

        var alert = new Alert(AlertKind.FrameReplayed, "sequence 7 replayed") { DeviceId = "00000000000000aa" };
        hub.Raise(alert);
        hub.Raise(alert);

        Assert.Equal([alert, alert], received);
        Assert.Equal(2, hub.FailuresBySink["broken"]);
        Assert.Equal(0, hub.FailuresBySink["led"]);
        Assert.Equal(2, hub.SinkFailureCount);
        var entry = Assert.Single(logger.Entries.Where(e => e.EventId.Id == 900).Take(1));
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Equal("broken", entry.Properties["Sink"]);
        Assert.IsType<InvalidOperationException>(entry.Exception);
    }

    [Fact]
    public void Counts_are_exact_under_concurrent_raising()
    {
        var delivered = 0L;
        using var hub = new AlertHub([new CallbackAlertSink("count", _ => Interlocked.Increment(ref delivered))]);
        var kinds = AlertKinds.All;
        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            hub.Raise(new Alert(kinds[i % kinds.Count], "x")));

        Assert.Equal(20_000, hub.RaisedCount);
        Assert.Equal(20_000, Interlocked.Read(ref delivered));
        Assert.Equal(20_000, hub.CountsByKind.Values.Sum());
        foreach (var kind in kinds)
        {
            Assert.Equal(20_000 / kinds.Count + (kinds.ToList().IndexOf(kind) < 20_000 % kinds.Count ? 1 : 0), hub.Count(kind));
        }
    }

    [Fact]
    public void Sinks_added_while_raising_receive_later_alerts()
    {
        using var hub = new AlertHub();
        var first = 0;
        var second = 0;
        hub.Add(new CallbackAlertSink("first", _ => first++));
        hub.Raise(new Alert(AlertKind.UnknownDevice, "a"));
        hub.Add(new CallbackAlertSink("second", _ => second++));
        hub.Raise(new Alert(AlertKind.UnknownDevice, "b"));
        Assert.Equal((2, 1), (first, second));
        Assert.Equal(["first", "second"], hub.SinkNames);
    }

    [Fact]
    public void Callback_sink_filters_like_the_gateway_alert_led()
    {
        var lit = 0;
        using var hub = new AlertHub([new CallbackAlertSink(
            "led",
            _ => lit++,
            a => a.Kind is AlertKind.FrameAuthenticationFailed or AlertKind.FrameReplayed or AlertKind.UnknownDevice)]);
        hub.Raise(new Alert(AlertKind.FrameAuthenticationFailed, "bad MAC"));
        hub.Raise(new Alert(AlertKind.FrameMalformed, "truncated"));
        hub.Raise(new Alert(AlertKind.UnknownDevice, "who?"));
        Assert.Equal(2, lit);
        Assert.Equal(3, hub.RaisedCount);
    }

    [Fact]
    public void Null_alerts_undefined_kinds_and_alerts_after_disposal_never_throw()
    {
        var hub = new AlertHub([new CallbackAlertSink("x", _ => { })]);
        hub.Raise(null!);
        hub.Raise(new Alert((AlertKind)999, "from a newer version"));
        hub.Dispose();
        hub.Raise(new Alert(AlertKind.StoreTampered, "late"));
        hub.Dispose();

        Assert.Equal(3, hub.RaisedCount);
        Assert.Equal(2, hub.DroppedCount);
        Assert.Equal(1, hub.Count(AlertKind.Other));
        Assert.Equal(1, hub.Count(AlertKind.StoreTampered));
    }

    [Fact]
    public void A_sink_that_raises_through_the_hub_cannot_recurse_forever()
    {
        AlertHub? hub = null;
        var calls = 0;
        hub = new AlertHub([new CallbackAlertSink("loop", a => { calls++; hub!.Raise(a); })]);
        hub.Raise(new Alert(AlertKind.Other, "echo"));
        Assert.Equal(2, calls);
        Assert.Equal(1, hub.DroppedCount);
        hub.Dispose();
    }

    [Fact]
    public void Disposing_the_hub_disposes_its_sinks()
    {
        var sink = new DisposableSink();
        var hub = new AlertHub([sink]);
        hub.Dispose();
        Assert.True(sink.Disposed);
    }

    private sealed class DisposableSink : IAlertSink, IDisposable
    {
        public bool Disposed { get; private set; }

        public string Name => "disposable";

        public void Publish(Alert alert)
        {
        }

        public void Dispose() => Disposed = true;
    }
}
