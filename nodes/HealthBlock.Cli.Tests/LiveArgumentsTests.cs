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
        var tuned = live.Gateway(command.Parse(["--live", "--iot-period-s", "300", "--live-broker", "mqtt://consortium.example:8883", "--live-broker-plaintext"]))!;
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
        var on = live.Doctor(command.Parse(["--live-broker", "mqtt://consortium.example:1883", "--live-broker-plaintext"]))!;
        Assert.Equal((new Uri("mqtt://consortium.example:1883"), TimeSpan.FromMinutes(15)), (on.Broker, on.SummaryPeriod));
        Assert.Equal(TimeSpan.FromSeconds(120), live.Doctor(command.Parse(["--live-broker", "mqtt://b:1883", "--live-broker-plaintext", "--summary-period-s", "120"]))!.SummaryPeriod);
    }

    [Fact]
    public void An_mqtts_live_broker_is_validated_against_the_CA_of_live_broker_ca()
    {
        var folder = Directory.CreateTempSubdirectory("hb-live-ca-").FullName;
        try
        {
            using var ca = HealthBlock.Crypto.Tls.LocalCertificateAuthority.Create("live CA");
            ca.Save(Path.Combine(folder, "ca.crt"), Path.Combine(folder, "ca.key"));
            var live = new LiveArguments();
            var gateway = new Command("gateway");
            live.AddToGateway(gateway);
            var doctor = new Command("doctor");

            var g = live.Gateway(gateway.Parse(["--live", "--live-broker", "mqtts://consortium.example:8883", "--live-broker-ca", Path.Combine(folder, "ca.crt")]))!;
            var d = new LiveArguments();
            d.AddToDoctor(doctor);
            var o = d.Doctor(doctor.Parse(["--live-broker", "mqtts://consortium.example:8883", "--live-broker-ca", Path.Combine(folder, "ca.crt")]))!;

            Assert.Equal(ca.CertificateDer, g.BrokerAuthority!.RawData);
            Assert.Equal(ca.CertificateDer, o.BrokerAuthority!.RawData);
            Assert.True(g.BrokerLink().Authority is not null && !g.BrokerLink().IsPlaintext);
            Assert.True(o.BrokerTls);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("tail", StartupVerification.Tail)]
    [InlineData("full", StartupVerification.Full)]
    [InlineData(" Full ", StartupVerification.Full)]
    public void Startup_verification_names_map_to_the_nodes_setting(string value, StartupVerification expected) =>
        Assert.Equal(expected, AccountingCommand.ParseVerification(value));
}
