using System.Collections.Concurrent;
using HealthBlock.Crypto;
using HealthBlock.Gateway.Keys;
using HealthBlock.Gateway.Mqtt;
using HealthBlock.Gateway.Store;
using HealthBlock.Protocol.Frames;

namespace HealthBlock.Gateway.Devices;

/// <summary>
/// The paired devices and their HMAC keys (sealed at rest in the store). Reads come from an in-memory copy loaded at
/// start; every change goes through this registry (in the running gateway, the admin endpoint's pairing calls it), so
/// the copy never needs re-reading.
/// </summary>
public sealed class DeviceRegistry
{
    private readonly GatewayStore _store;
    private readonly SecretSealer _sealer;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<ulong, DeviceEntry> _devices = new();
    private readonly ConcurrentDictionary<ulong, string> _passwordHashes = new();
    private readonly Lock _writeLock = new();

    /// <summary>Loads the registry from <paramref name="store"/>.</summary>
    public DeviceRegistry(GatewayStore store, SecretSealer sealer, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(sealer);
        _store = store;
        _sealer = sealer;
        _time = time ?? TimeProvider.System;
        foreach (var row in store.Devices.All())
        {
            _devices[row.Id] = Open(row);
        }

        foreach (var (id, hash) in store.Devices.PasswordHashes())
        {
            _passwordHashes[id] = hash;
        }
    }

    /// <summary>Raised after a pairing or a change of state (outside the registry's lock).</summary>
    public event Action? Changed;

    /// <summary>All devices, removed ones included.</summary>
    public IReadOnlyCollection<DeviceEntry> Devices => [.. _devices.Values.OrderBy(d => d.Id)];

    /// <summary>Looks a device up.</summary>
    public bool TryGet(ulong id, out DeviceEntry entry) => _devices.TryGetValue(id, out entry!);

    /// <summary>
    /// Pairs a device with a fresh random key. A device that is paired (pending or active) is paired again only with
    /// <paramref name="replace"/>: it gets a new key and a new pairing, so its sequence numbers start afresh and frames
    /// made with the old key are refused. A removed device may be paired again without it.
    /// </summary>
    /// <exception cref="DeviceAlreadyPairedException">The device is paired and <paramref name="replace"/> is false.</exception>
    public DeviceEntry Pair(ulong id, DeviceState state = DeviceState.Active, bool replace = false)
    {
        DeviceEntry paired;
        lock (_writeLock)
        {
            if (!replace && _devices.TryGetValue(id, out var existing) && existing.State != DeviceState.Removed)
            {
                throw new DeviceAlreadyPairedException(id);
            }

            var key = DeviceMac.NewKey();
            var password = MqttPasswordHash.NewPassword();
            var hash = MqttPasswordHash.Hash(password);
            var row = _store.Devices.Pair(id, _sealer.Seal(key, Label(id)), state, _time.GetUtcNow().ToUnixTimeMilliseconds(), hash);
            var entry = new DeviceEntry(id, key, row.State, row.PairedMs, row.Pairing);
            _devices[id] = entry;
            _passwordHashes[id] = hash;
            paired = entry with { MqttPassword = password };
        }

        Changed?.Invoke();
        return paired;
    }

    /// <summary>
    /// The broker login of every paired (pending or active) device with a password: user name (the device id) → its
    /// <c>$7$</c> hash, the lines of a Mosquitto <c>password_file</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> BrokerLogins() =>
        _devices.Values
            .Where(d => d.State != DeviceState.Removed && _passwordHashes.ContainsKey(d.Id))
            .ToDictionary(d => d.MqttUsername, d => _passwordHashes[d.Id], StringComparer.Ordinal);

    /// <summary>
    /// True when <paramref name="username"/> names a paired (pending or active) device and <paramref name="password"/> is
    /// the password of its current pairing: the broker's login check.
    /// </summary>
    public bool CheckLogin(string? username, string? password) =>
        username is not null
        && DeviceFrame.TryParseDeviceId(username, out var id)
        && _devices.TryGetValue(id, out var entry)
        && entry.State != DeviceState.Removed
        && _passwordHashes.TryGetValue(id, out var hash)
        && MqttPasswordHash.Verify(password, hash);

    /// <summary>Changes a device's state (<see cref="DeviceState.Removed"/> unpairs it).</summary>
    /// <exception cref="KeyNotFoundException">The device was never paired.</exception>
    public DeviceEntry SetState(ulong id, DeviceState state)
    {
        DeviceEntry changed;
        lock (_writeLock)
        {
            if (!_devices.TryGetValue(id, out var entry) || !_store.Devices.SetState(id, state))
            {
                throw new KeyNotFoundException($"Device {DeviceFrame.FormatDeviceId(id)} is not paired.");
            }

            changed = entry with { State = state };
            _devices[id] = changed;
        }

        Changed?.Invoke();
        return changed;
    }

    private DeviceEntry Open(DeviceRow row) => new(row.Id, _sealer.Open(row.SealedKey, Label(row.Id)), row.State, row.PairedMs, row.Pairing);

    private static string Label(ulong id) => "device:" + DeviceFrame.FormatDeviceId(id);
}
