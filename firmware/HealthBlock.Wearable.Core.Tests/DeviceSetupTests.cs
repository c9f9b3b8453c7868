using HealthBlock.Protocol.Pairing;
using HealthBlock.Wearable.Provisioning;
using HealthBlock.Wearable.Uplink;

namespace HealthBlock.Wearable.Core.Tests;

/// <summary>The decisions the device adapters delegate to the core: provisioning files, broker session, readiness.</summary>
public class DeviceSetupTests
{
    private static readonly byte[] Ca = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "vectors", "test-ca.der"));

    [Fact]
    public void A_TLS_pairing_opens_a_TLS_session_trusting_its_CA_with_its_credentials()
    {
        var pairing = PairingBlob.Create(0x00a1b2c3d4e5f607, "p", TestKeys.Device, "gw.example", 8883, UplinkSecurity.Tls(Ca, "dev-7", "secret"));

        var broker = BrokerConnection.FromPairing(PairingBlob.Parse(pairing.ToString()));

        Assert.True(broker.UseTls);
        Assert.Equal(Ca, broker.GetCaCertificate());
        Assert.Equal(("gw.example", 8883), (broker.Host, broker.Port));
        Assert.Equal(("dev-7", "secret"), (broker.Username, broker.Password));
    }

    [Fact]
    public void Only_an_explicitly_plaintext_pairing_opens_plain_TCP()
    {
        var pairing = PairingBlob.Parse("hbpair2;device=0000000000000001;patient=p;key=" + new string('0', 64)
            + ";broker=gw:1883;topic=hb/p/0000000000000001;transport=plaintext");

        var broker = BrokerConnection.FromPairing(pairing);

        Assert.False(broker.UseTls);
        Assert.Null(broker.GetCaCertificate());
        Assert.Null(broker.Username);
        Assert.Null(broker.Password);
    }

    [Fact]
    public void The_client_id_names_the_device_and_fits_every_MQTT_3_1_1_server()
    {
        var pairing = PairingBlob.Create(ulong.MaxValue, "p", TestKeys.Device, "gw", 1883, UplinkSecurity.Plaintext(null, null));

        var id = BrokerConnection.FromPairing(pairing).ClientId;

        Assert.Equal("hb-ffffffffffffffff", id);
        Assert.InRange(id.Length, 1, BrokerConnection.MaxPortableClientIdLength);
    }

    [Fact]
    public async Task The_acknowledgement_of_the_message_in_flight_completes_the_wait()
    {
        var waiter = new PubackWaiter(new ManualClock());
        waiter.Reset();

        var acknowledger = Task.Run(() => waiter.OnPublished(42, true));

        Assert.True(waiter.Wait(42, 60_000));
        await acknowledger;
    }

    [Fact]
    public void A_refused_publish_is_not_acknowledged()
    {
        var waiter = new PubackWaiter(new ManualClock());
        waiter.Reset();
        waiter.OnPublished(7, false);

        Assert.False(waiter.Wait(7, 60_000));
    }

    [Fact]
    public async Task A_late_event_of_an_abandoned_publish_does_not_complete_the_next_one()
    {
        var clock = new ManualClock();
        var waiter = new PubackWaiter(clock);
        waiter.Reset();
        waiter.OnPublished(6, true);

        // The clock stands still, so only the deadline the test moves past ends the wait.
        var wait = Task.Run(() => waiter.Wait(7, 1_000));
        while (!wait.IsCompleted)
        {
            clock.Advance(1_001);
            waiter.OnPublished(6, true);
            await Task.Delay(1);
        }

        Assert.False(await wait);
    }

    [Fact]
    public void Reset_forgets_an_acknowledgement_of_an_earlier_publish_with_the_same_id()
    {
        var clock = new ManualClock();
        var waiter = new PubackWaiter(clock);
        waiter.OnPublished(9, true);
        waiter.Reset();
        clock.Advance(1);

        Assert.False(waiter.Wait(9, 0));
    }

    [Fact]
    public void The_pairing_file_parses_or_says_which_check_failed()
    {
        var text = PairingBlob.Create(1, "p", TestKeys.Device, "gw", 1883, UplinkSecurity.Plaintext(null, null)) + "\r\n";

        Assert.NotNull(ProvisioningFiles.ParsePairing(text, out var none));
        Assert.Null(none);
        Assert.Null(ProvisioningFiles.ParsePairing(null, out var missing));
        Assert.Equal("no I:\\hbpair.txt", missing);
        Assert.Null(ProvisioningFiles.ParsePairing(text.Replace("hbpair2", "hbpair1", StringComparison.Ordinal), out var old));
        Assert.Equal("I:\\hbpair.txt: OldFormat", old);
    }

    [Theory]
    [InlineData("home\r\npass word\r\n", true, "home", "pass word")]
    [InlineData("  home  \n", true, "home", "")]
    [InlineData("home", true, "home", "")]
    [InlineData("\npassword", false, null, null)]
    [InlineData(null, false, null, null)]
    [InlineData("123456789012345678901234567890123\npw", false, null, null)]
    public void The_wifi_file_gives_an_SSID_and_a_password(string? text, bool ok, string? ssid, string? password)
    {
        Assert.Equal(ok, ProvisioningFiles.TryParseWifi(text!, out var s, out var p));
        Assert.Equal((ssid, password), (s, p));
    }

    [Fact]
    public void Wifi_limits_follow_802_11()
    {
        Assert.True(ProvisioningFiles.TryParseWifi(new string('s', 32) + "\n" + new string('p', 64), out _, out _));
        Assert.False(ProvisioningFiles.TryParseWifi("s\n" + new string('p', 65), out _, out _));
    }

    [Fact]
    public void Counter_slots_are_two_files_on_the_flash_drive()
    {
        Assert.Equal("I:\\hbseq0.bin", ProvisioningFiles.CounterSlotPath(ProvisioningFiles.CounterSlotPrefix, 0));
        Assert.Equal("I:\\hbseq1.bin", ProvisioningFiles.CounterSlotPath(ProvisioningFiles.CounterSlotPrefix, 1));
    }

    [Theory]
    [InlineData("192.168.4.20", true)]
    [InlineData("0.0.0.0", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void A_station_address_is_usable_once_DHCP_gave_one(string? address, bool usable)
    {
        Assert.Equal(usable, NetworkReadiness.IsUsableAddress(address!));
    }

    [Fact]
    public void The_clock_counts_as_set_from_2024_on()
    {
        Assert.False(NetworkReadiness.IsClockSet(0));
        Assert.False(NetworkReadiness.IsClockSet(DateTimeOffset.Parse("2023-12-31T23:59:59Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds()));
        Assert.True(NetworkReadiness.IsClockSet(DateTimeOffset.Parse("2024-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds()));
    }
}
