namespace HealthBlock.Gateway.Keys;

/// <summary>An IoT key epoch the patient has published.</summary>
/// <param name="Epoch">The epoch number.</param>
/// <param name="IotKey">The AES-256 IoT key of that epoch (each epoch has its own).</param>
public sealed record EpochKey(uint Epoch, byte[] IotKey);
