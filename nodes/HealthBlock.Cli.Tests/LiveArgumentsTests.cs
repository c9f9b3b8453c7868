using System.CommandLine;
using HealthBlock.Accounting;
using HealthBlock.Cli.Commands;

namespace HealthBlock.Cli.Tests;

/// <summary>The live-path and startup-verification options map to the options the roles run with.</summary>
public sealed class LiveArgumentsTests
{
    [Fact]
    public void The_gateway_runs_the_live_path_only_with_live_and_takes_its_period_and_broker()
    {
        var live = new LiveArguments();
        var command = new Command("gateway");
        live.AddToGateway(command);

        Assert.Null(live.Gateway(command.Parse([])));
        var on = live.Gateway(command.Parse(["--live"]))!;
        Assert.Equal((TimeSpan.FromSeconds(60), null), (on.Period, on.Broker));
        var tuned = live.Gateway(command.Parse(["--live", "--iot-period-s", "300", "--live-broker", "mqtt://consortium.example:8883"]))!;
        Assert.Equal((TimeSpan.FromMinutes(5), new Uri("mqtt://consortium.example:8883")), (tuned.Period, tuned.Broker));
        Assert.True(tuned.SealOnWrite);
    }

    [Fact]
    public void The_doctor_runs_the_live_path_with_a_live_broker_and_takes_its_summary_period()
    {
        var live = new LiveArguments();
        var command = new Command("doctor");
        live.AddToDoctor(command);

        Assert.Null(live.Doctor(command.Parse(["--summary-period-s", "60"])));
        var on = live.Doctor(command.Parse(["--live-broker", "mqtt://consortium.example:1883"]))!;
        Assert.Equal((new Uri("mqtt://consortium.example:1883"), TimeSpan.FromMinutes(15)), (on.Broker, on.SummaryPeriod));
        Assert.Equal(TimeSpan.FromSeconds(120), live.Doctor(command.Parse(["--live-broker", "mqtt://b:1883", "--summary-period-s", "120"]))!.SummaryPeriod);
    }

    [Theory]
    [InlineData("tail", StartupVerification.Tail)]
    [InlineData("full", StartupVerification.Full)]
    [InlineData(" Full ", StartupVerification.Full)]
    public void Startup_verification_names_map_to_the_nodes_setting(string value, StartupVerification expected) =>
        Assert.Equal(expected, AccountingCommand.ParseVerification(value));
}
