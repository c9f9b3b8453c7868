using System.Globalization;
using System.Net;
using HealthBlock.Crypto;
using HealthBlock.Gateway.Admin;
using HealthBlock.Hosting;
using HealthBlock.Protocol.Pairing;
using MQTTnet;
using MQTTnet.Protocol;

namespace HealthBlock.Gateway.Tests;

/// <summary>The running gateway's admin endpoint: what it does, and that only the patient's signed, fresh, unreplayed requests get in.</summary>
public sealed class AdminEndpointTests : IAsyncLifetime
{
    private GatewayWorld _world = null!;

    public async Task InitializeAsync() => _world = await GatewayWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private Uri Url => _world.Gateway.AdminEndpoint!.Url;

    [Fact]
    public async Task The_endpoint_listens_on_loopback_and_its_url_file_is_the_owners_only()
    {
        var folder = new GatewayDataFolder(_world.DataFolder);
        Assert.Equal(Url, folder.ReadAdminUrl());
        Assert.Equal("127.0.0.1", Url.Host);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(folder.AdminUrlPath));
        }

        await _world.Gateway.DisposeAsync();
        Assert.Null(folder.ReadAdminUrl());
        await _world.StartGatewayAsync();
    }

    [Fact]
    public async Task Pair_list_unpair_grant_revoke_pay_and_status_work_through_the_signed_endpoint()
    {
        var doctor = await _world.RegisterDoctorAsync("Dr. Admin");
        await _world.IssueAsync(_world.Patient.Id, 100);
        using var admin = new AdminClient(Url, _world.Patient);

        var paired = await admin.PairAsync(new PairRequest("00A1B2C3D4E5F601", "127.0.0.1", 1883));
        Assert.StartsWith($"hbpair2;device=00a1b2c3d4e5f601;patient={_world.Patient.Id};key=", paired.PairingBlob, StringComparison.Ordinal);
        Assert.True(_world.Gateway.Devices.TryGet(0x00a1b2c3d4e5f601, out var entry));
        Assert.Contains(Convert.ToHexStringLower(entry.Key), paired.PairingBlob, StringComparison.Ordinal);

        var device = new TestDevice(entry.Id, entry.Key, PairingBlob.Parse(paired.PairingBlob).Security);
        using var client = await GatewayWorld.ConnectDeviceAsync(device, "127.0.0.1", _world.Gateway.MqttPort);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await GatewayWorld.PublishAsync(client, device.Topic(_world.Patient.Id.ToString()), device.Ecg(sequence: 7))).ReasonCode);
        var listed = Assert.Single(await admin.DevicesAsync());
        Assert.Equal(("00a1b2c3d4e5f601", "active", 7L, 1L), (listed.Device, listed.State, listed.LastSequence!.Value, listed.Frames));
        Assert.NotNull(listed.LastFrameMs);

        var granted = await admin.GrantAsync(doctor.Id.ToString());
        var paid = await admin.PayAsync(new PaymentRequest(doctor.Id.ToString(), 30));
        var status = await admin.StatusAsync();
        Assert.True(status.Running);
        Assert.Equal(granted.Epoch, status.Epoch);
        Assert.Equal([doctor.Id.ToString()], status.Doctors);
        Assert.Equal(70ul, status.Balance);
        Assert.Equal(30ul, status.Credits[doctor.Id.ToString()]);
        Assert.StartsWith("userchain/", paid.Location, StringComparison.Ordinal);

        var revoked = await admin.RevokeAsync(doctor.Id.ToString());
        Assert.True(revoked.Epoch > granted.Epoch);
        var again = await Assert.ThrowsAsync<GatewayAdminException>(() => admin.RevokeAsync(doctor.Id.ToString()));
        Assert.Equal(409, again.Status);
        var overdraw = await Assert.ThrowsAsync<GatewayAdminException>(() => admin.PayAsync(new PaymentRequest(doctor.Id.ToString(), 1000)));
        Assert.Equal(422, overdraw.Status);
        Assert.Contains("InsufficientBalance", overdraw.Message, StringComparison.Ordinal);

        Assert.Equal("removed", (await admin.UnpairAsync("00a1b2c3d4e5f601")).State);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await GatewayWorld.PublishAsync(client, device.Topic(_world.Patient.Id.ToString()), device.Ecg())).ReasonCode);
        Assert.Equal(404, (await Assert.ThrowsAsync<GatewayAdminException>(() => admin.UnpairAsync("00a1b2c3d4e5f601"))).Status);
    }

    [Fact]
    public async Task Re_pairing_a_paired_device_needs_replace_and_then_restarts_its_sequence_under_a_new_key()
    {
        using var admin = new AdminClient(Url, _world.Patient);
        var pairing = await admin.PairAsync(new PairRequest("0000000000000042", "127.0.0.1", 1883));
        Assert.True(_world.Gateway.Devices.TryGet(0x42, out var first));
        var old = new TestDevice(first.Id, first.Key, PairingBlob.Parse(pairing.PairingBlob).Security);
        using var client = await GatewayWorld.ConnectDeviceAsync(old, "127.0.0.1", _world.Gateway.MqttPort);
        var topic = old.Topic(_world.Patient.Id.ToString());
        Assert.Equal(MqttClientPublishReasonCode.Success, (await GatewayWorld.PublishAsync(client, topic, old.Ecg(sequence: 100))).ReasonCode);

        var refused = await Assert.ThrowsAsync<GatewayAdminException>(() => admin.PairAsync(new PairRequest("0000000000000042", "127.0.0.1", 1883)));
        Assert.Equal(409, refused.Status);
        Assert.Contains("--replace", refused.Message, StringComparison.Ordinal);

        var replaced = await admin.PairAsync(new PairRequest("0000000000000042", "127.0.0.1", 1883, Replace: true));
        Assert.Equal(2, replaced.Pairing);
        Assert.True(_world.Gateway.Devices.TryGet(0x42, out var second));
        Assert.NotEqual(first.Key, second.Key);
        var fresh = new TestDevice(second.Id, second.Key);

        // The old key is refused; the new pairing starts again at sequence 0, below the old pairing's 100.
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await GatewayWorld.PublishAsync(client, topic, old.Ecg(sequence: 101))).ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await GatewayWorld.PublishAsync(client, topic, fresh.Ecg(sequence: 0))).ReasonCode);
        var listed = Assert.Single(await admin.DevicesAsync());
        Assert.Equal((2L, 0L, 1L), (listed.Pairing, listed.LastSequence!.Value, listed.Frames));
    }

    [Fact]
    public async Task Unsigned_foreign_stale_and_replayed_requests_are_refused()
    {
        using var http = new HttpClient { BaseAddress = Url };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri("v1/status", UriKind.Relative))).StatusCode);

        using var stranger = IdentityKey.Generate();
        var foreign = await Assert.ThrowsAsync<GatewayAdminException>(() => new AdminClient(Url, stranger).DevicesAsync());
        Assert.Equal(401, foreign.Status);

        var stale = await Assert.ThrowsAsync<GatewayAdminException>(() => new AdminClient(Url, _world.Patient, new ShiftedTime(TimeSpan.FromMinutes(-5))).DevicesAsync());
        Assert.Equal(401, stale.Status);
        Assert.Contains("fresh", stale.Message, StringComparison.Ordinal);

        // The same signed request twice: the second is a replay.
        var time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var nonce = AdminRequestSignature.NewNonce();
        var signature = AdminRequestSignature.Sign(_world.Patient, "GET", "/v1/devices", time, nonce, []);
        HttpRequestMessage Signed()
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "v1/devices");
            request.Headers.Add(AdminRequestSignature.TimeHeader, time.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add(AdminRequestSignature.NonceHeader, nonce);
            request.Headers.Add(AdminRequestSignature.SignatureHeader, signature);
            return request;
        }

        using (var first = Signed())
        {
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(first)).StatusCode);
        }

        using var replay = Signed();
        var answer = await http.SendAsync(replay);
        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.Contains("replayed", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A signature over another path does not open this one.
        using var moved = new HttpRequestMessage(HttpMethod.Delete, "v1/devices/0000000000000001");
        moved.Headers.Add(AdminRequestSignature.TimeHeader, time.ToString(CultureInfo.InvariantCulture));
        moved.Headers.Add(AdminRequestSignature.NonceHeader, AdminRequestSignature.NewNonce());
        moved.Headers.Add(AdminRequestSignature.SignatureHeader, signature);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(moved)).StatusCode);
    }

    [Fact]
    public async Task A_second_gateway_on_the_same_folder_is_refused_and_the_cli_session_goes_through_the_endpoint()
    {
        var second = await Assert.ThrowsAsync<DataFolderInUseException>(() => _world.StartGatewayAsync());
        Assert.Equal(Environment.ProcessId, second.Pid);

        await using (var session = GatewayAdminSession.Open(_world.DataFolder, _world.Patient, ledger: null))
        {
            Assert.True(session.Running);
            Assert.True((await session.Admin.StatusAsync()).Running);
        }

        await _world.Gateway.DisposeAsync();
        await using (var session = GatewayAdminSession.Open(_world.DataFolder, _world.Patient, ledger: null))
        {
            Assert.False(session.Running);
            await Assert.ThrowsAsync<DataFolderInUseException>(() => _world.StartGatewayAsync());
            Assert.Empty(await session.Admin.DevicesAsync());
        }

        await _world.StartGatewayAsync();
    }

    /// <summary>The system clock, shifted.</summary>
    [Fact]
    public async Task Each_admin_request_is_logged_at_debug_with_method_path_and_status()
    {
        using var lines = new LogLines();
        using var loggers = lines.Factory();
        await using var world = await GatewayWorld.StartAsync(loggers: loggers);
        using var admin = new AdminClient(world.Gateway.AdminEndpoint!.Url, world.Patient);
        await admin.DevicesAsync();
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri(world.Gateway.AdminEndpoint.Url, "v1/status"))).StatusCode);

        var requests = lines.Lines.Where(l => l.Category == RequestLogging.Category).ToList();
        Assert.Contains(requests, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Debug && l.Text.StartsWith("GET /v1/devices from 127.0.0.1 -> 200", StringComparison.Ordinal));
        Assert.Contains(requests, l => l.Text.StartsWith("GET /v1/status from 127.0.0.1 -> 401", StringComparison.Ordinal));
    }

    private sealed class ShiftedTime(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + shift;
    }
}
