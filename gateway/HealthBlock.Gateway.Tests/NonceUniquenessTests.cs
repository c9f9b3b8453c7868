using HealthBlock.Crypto;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Ledger;
using HealthBlock.Storage;

namespace HealthBlock.Gateway.Tests;

/// <summary>
/// AES-GCM must never seal two messages under one key with one nonce: that leaks the authentication key (and the XOR
/// of the plaintexts). The batch nonce is <c>IOTB ‖ batch number</c>, so a batch sealed again under another epoch must
/// be sealed under another key.
/// </summary>
public sealed class NonceUniquenessTests
{
    [Fact]
    public async Task A_grant_while_a_batch_is_sealed_but_not_committed_never_reuses_a_key_and_nonce_pair()
    {
        await using var world = await GatewayWorld.StartAsync();
        var first = await world.RegisterDoctorAsync("Dr. First");
        var second = await world.RegisterDoctorAsync("Dr. Second");
        await world.Gateway.Keys.GrantAsync(first.Id);
        await world.Gateway.DisposeAsync();
        var store = new RecordingStore(world.Store);
        await world.StartGatewayAsync(store: store);

        // The first batch is sealed and stored; before its IoT transaction reaches the ledger, the patient grants
        // another doctor (a new epoch). The ledger then refuses the batch as stale and the gateway seals it again.
        store.BeforeFirstPut = () => world.Gateway.Keys.GrantAsync(second.Id);
        var device = world.PairDevice(0x0e0e_0001);
        using var client = await GatewayWorld.ConnectDeviceAsync(device, "127.0.0.1", world.Gateway.MqttPort);
        await GatewayWorld.PublishAsync(client, device.Topic(world.Patient.Id.ToString()), device.Ecg());
        await Eventually.WaitUntilAsync(() => world.Gateway.Batcher.CommittedFrames == 1, "the batch to commit", TimeSpan.FromSeconds(30));

        var epochs = (await world.Ledger.GetPatientKeysAsync(world.Patient.Id))!.Epoch;
        var keys = Enumerable.Range(1, (int)epochs).Select(e => world.Gateway.Keys.Epoch((uint)e)).OfType<Keys.EpochKey>().ToList();
        var pairs = new List<string>();
        foreach (var ciphertext in store.Blocks)
        {
            var nonce = Convert.ToHexString(ciphertext.AsSpan(0, AeadNonce.Size));
            var batch = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(ciphertext.AsSpan(4, 8));
            var key = keys.Single(k => Opens(ciphertext, k, world.Patient.Id, batch));
            pairs.Add(Convert.ToHexString(key.IotKey) + "/" + nonce);
        }

        Assert.True(store.Blocks.Count >= 2, $"the batch was sealed {store.Blocks.Count} time(s); the scenario needs a second sealing");
        Assert.Equal(pairs.Count, pairs.Distinct().Count());
    }

    private static bool Opens(byte[] ciphertext, Keys.EpochKey key, IdentityId patient, ulong batch)
    {
        try
        {
            IotBatch.Open(ciphertext, key.IotKey, patient, key.Epoch, batch);
            return true;
        }
        catch (CryptoException)
        {
            return false;
        }
    }

    /// <summary>A real store that keeps a copy of every block put, and can run a step before the first put.</summary>
    private sealed class RecordingStore(IContentStore inner) : IContentStore
    {
        private readonly List<byte[]> _blocks = [];

        private Func<Task>? _before;

        public Func<Task>? BeforeFirstPut
        {
            set => Volatile.Write(ref _before, value);
        }

        public IReadOnlyList<byte[]> Blocks
        {
            get
            {
                lock (_blocks)
                {
                    return [.. _blocks];
                }
            }
        }

        public string Name => inner.Name;

        public async Task<Cid> PutAsync(ReadOnlyMemory<byte> block, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Exchange(ref _before, null) is { } before)
            {
                await before();
            }

            lock (_blocks)
            {
                _blocks.Add(block.ToArray());
            }

            return await inner.PutAsync(block, cancellationToken);
        }

        public Task<byte[]> GetAsync(Cid cid, CancellationToken cancellationToken = default) => inner.GetAsync(cid, cancellationToken);

        public Task<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default) => inner.HasAsync(cid, cancellationToken);

        public Task PinAsync(Cid cid, CancellationToken cancellationToken = default) => inner.PinAsync(cid, cancellationToken);
    }
}
