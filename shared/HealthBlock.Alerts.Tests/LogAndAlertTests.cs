using Microsoft.Extensions.Logging;

namespace HealthBlock.Alerts.Tests;

public class LogAndAlertTests
{
    [Fact]
    public void Log_sink_writes_the_source_as_structured_properties()
    {
        var logger = new CapturingLogger();
        using var hub = new AlertHub([new LogAlertSink(logger)]);
        var time = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
        hub.Raise(new Alert(AlertKind.TransactionRefused, "signature does not verify")
        {
            Time = time,
            IdentityId = "aaaabbbbccccddddeeeeffffgggghhhh",
            ClientAddress = "10.1.2.3:40000",
            Node = "accounting-2",
            Details = new Dictionary<string, string> { ["tx"] = "ab12", ["reason"] = "BadSignature" },
        });

        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Equal(1000 + (int)AlertKind.TransactionRefused, entry.EventId.Id);
        Assert.Equal("TransactionRefused", entry.Properties["AlertKind"]);
        Assert.Equal("Warning", entry.Properties["Severity"]);
        Assert.Equal("signature does not verify", entry.Properties["AlertMessage"]);
        Assert.Equal(time, entry.Properties["AlertTime"]);
        Assert.Equal("aaaabbbbccccddddeeeeffffgggghhhh", entry.Properties["IdentityId"]);
        Assert.Equal("10.1.2.3:40000", entry.Properties["ClientAddress"]);
        Assert.Equal("accounting-2", entry.Properties["Node"]);
        Assert.Null(entry.Properties["DeviceId"]);
        Assert.Null(entry.Properties["DeviceMacAddress"]);
        var details = Assert.IsAssignableFrom<IReadOnlyDictionary<string, string>>(entry.Properties["Details"]);
        Assert.Equal("BadSignature", details["reason"]);
        Assert.Equal(LogAlertSink.Template, entry.Properties["{OriginalFormat}"]);
        Assert.Equal(
            "TransactionRefused (Warning): signature does not verify; Client address 10.1.2.3:40000; Identity aaaabbbbccccddddeeeeffffgggghhhh; Node accounting-2",
            entry.Message);
    }

    [Theory]
    [InlineData(AlertKind.StoreTampered, LogLevel.Critical)]
    [InlineData(AlertKind.AuditMismatch, LogLevel.Critical)]
    [InlineData(AlertKind.FrameAuthenticationFailed, LogLevel.Warning)]
    [InlineData(AlertKind.FrameMalformed, LogLevel.Information)]
    public void Log_level_follows_the_default_severity_of_the_kind(AlertKind kind, LogLevel level)
    {
        var logger = new CapturingLogger();
        new LogAlertSink(logger).Publish(new Alert(kind, "x"));
        Assert.Equal(level, Assert.Single(logger.Entries).Level);
    }

    [Fact]
    public void Text_fields_are_one_line_and_capped()
    {
        var alert = new Alert(AlertKind.Other, "a\r\nb\tc\u2028d\u0085e" + new string('x', 1000))
        {
            DeviceId = "dev\nice",
            Details = Enumerable.Range(0, 100).ToDictionary(i => $"k{i:d3}\n", i => $"v\r{i}"),
        };
        Assert.StartsWith("a  b c d e", alert.Message, StringComparison.Ordinal);
        Assert.Equal(Alert.MaxMessageLength + 1, alert.Message.Length);
        Assert.EndsWith("…", alert.Message, StringComparison.Ordinal);
        Assert.Equal("dev ice", alert.DeviceId);
        Assert.Equal(Alert.MaxDetails, alert.Details.Count);
        Assert.Equal("v 0", alert.Details["k000"]);

        var changed = alert with { Message = "x\ny" };
        Assert.Equal("x y", changed.Message);
    }

    [Fact]
    public void Severity_defaults_by_kind_and_can_be_overridden()
    {
        Assert.Equal(AlertSeverity.Critical, new Alert(AlertKind.StoreTampered, "x").Severity);
        Assert.Equal(AlertSeverity.Warning, new Alert(AlertKind.UnknownDevice, "x").Severity);
        Assert.Equal(AlertSeverity.Critical, new Alert(AlertKind.UnknownDevice, "x") { Severity = AlertSeverity.Critical }.Severity);
    }

    [Fact]
    public void WithClient_takes_an_endpoint()
    {
        var alert = new Alert(AlertKind.UnknownDevice, "x").WithClient(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("192.0.2.5"), 1883));
        Assert.Equal("192.0.2.5:1883", alert.ClientAddress);
        Assert.Equal([new KeyValuePair<string, string>("Client address", "192.0.2.5:1883")], alert.SourceFields());
    }
}
