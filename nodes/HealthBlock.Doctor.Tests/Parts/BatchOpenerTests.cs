using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Doctor.Diagnosing;
using HealthBlock.Doctor.Storage;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Storage;
using HealthBlock.Storage.Embedded;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthBlock.Doctor.Tests;

/// <summary>Fetching, verifying and opening IoT batches (<see cref="BatchOpener"/>) on a real embedded store.</summary>
public sealed class BatchOpenerTests : IDisposable
{
    private readonly DoctorParts _parts = new();
    private readonly IdentityKey _patient = IdentityKey.Generate();
    private readonly byte[] _iotKey = Aead.NewKey();
    private readonly byte[] _deviceKey = Aead.NewKey();
    private readonly EmbeddedContentStore _store;
    private readonly BatchOpener _opener;

    public BatchOpenerTests()
    {
        _store = new EmbeddedContentStore(_parts.Temp("store"));
        _opener = new BatchOpener(_store, _parts.AlertBuilder, maxFetchAttempts: 3, NullLogger.Instance);
    }

    public void Dispose()
    {
        _patient.Dispose();
        _parts.Dispose();
    }

    [Fact]
    public async Task A_batch_opens_under_its_patients_key_and_aad_and_a_malformed_frame_is_left_out()
    {
        var item = await StoreAsync(epoch: 2, batch: 7, Frame(3650, 1_000), [0xde, 0xad], Frame(3660, 2_000));

        var opened = await _opener.OpenAsync(item, _iotKey, CancellationToken.None);

        Assert.True(opened.Opened);
        Assert.Null(opened.Alert);
        Assert.Equal([1_000L, 2_000L], opened.Frames!.Select(f => f.TimestampMs));
        Assert.All(opened.Frames!, f => Assert.Equal(SensorKind.Temperature, f.Kind));
    }

    [Theory]
    [InlineData("batch")]
    [InlineData("epoch")]
    [InlineData("key")]
    public async Task A_batch_announced_under_another_number_epoch_or_key_is_given_up_with_a_decryption_alert(string moved)
    {
        var stored = await StoreAsync(epoch: 2, batch: 7, Frame(3650, 1_000));
        var item = moved switch
        {
            "batch" => stored with { Batch = 8 },
            "epoch" => stored with { Epoch = 3 },
            _ => stored,
        };

        var opened = await _opener.OpenAsync(item, moved == "key" ? Aead.NewKey() : _iotKey, CancellationToken.None);

        Assert.False(opened.Opened);
        Assert.Contains("does not decrypt", opened.Error, StringComparison.Ordinal);
        var alert = opened.Alert!;
        Assert.Equal(AlertKind.DecryptionFailed, alert.Kind);
        Assert.Equal(_patient.Id.ToString(), alert.IdentityId);
        Assert.Equal("doctor:" + _parts.Doctor.Id, alert.Node);
        Assert.Equal((item.TxId, item.Cid.ToString(), "batch"), (alert.Details["tx"], alert.Details["cid"], alert.Details["object"]));
        Assert.Contains("does not authenticate", alert.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_block_modified_at_rest_is_given_up_with_a_store_tampered_alert_naming_the_store()
    {
        var item = await StoreAsync(epoch: 1, batch: 1, Frame(3700, 1_000));
        var path = _store.GetBlockPath(item.Cid);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);

        var opened = await _opener.OpenAsync(item, _iotKey, CancellationToken.None);

        Assert.False(opened.Opened);
        Assert.Equal(AlertKind.StoreTampered, opened.Alert!.Kind);
        Assert.Equal(_store.Name, opened.Alert.Node);
        Assert.Equal(_parts.Doctor.Id.ToString(), opened.Alert.Details["doctor"]);
    }

    [Fact]
    public async Task A_missing_block_is_retried_by_the_caller_and_given_up_with_a_block_missing_alert_after_the_last_attempt()
    {
        var item = DoctorParts.Item(_patient.Id, 1);

        await Assert.ThrowsAsync<BlockNotFoundException>(() => _opener.OpenAsync(item, _iotKey, CancellationToken.None));
        await Assert.ThrowsAsync<BlockNotFoundException>(() => _opener.OpenAsync(item, _iotKey, CancellationToken.None));
        var opened = await _opener.OpenAsync(item, _iotKey, CancellationToken.None);

        Assert.False(opened.Opened);
        Assert.Contains("after 3 attempts", opened.Error, StringComparison.Ordinal);
        Assert.Equal((AlertKind.BlockMissing, _store.Name, item.Cid.ToString(), "3"), (opened.Alert!.Kind, opened.Alert.Node, opened.Alert.Details["cid"], opened.Alert.Details["attempts"]));

        // The count starts again: a block that reappears and is lost again takes as many fetches to be given up.
        await Assert.ThrowsAsync<BlockNotFoundException>(() => _opener.OpenAsync(item, _iotKey, CancellationToken.None));
    }

    private byte[] Frame(short centiCelsius, long timeMs) =>
        TestDevice.Frame(0xb0_0001, _deviceKey, (uint)timeMs, SensorKind.Temperature, [centiCelsius], timeMs, 100);

    private async Task<IotItem> StoreAsync(uint epoch, ulong batch, params byte[][] frames)
    {
        var cid = await _store.PutCheckedAsync(new IotBatch(_patient.Id, epoch, batch, frames).Seal(_iotKey));
        return new IotItem(new string('a', 64), 1, _patient.Id, epoch, batch, cid, 1_000, 3_000);
    }
}
