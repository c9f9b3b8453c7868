// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
namespace HealthBlock.Wearable.Storage
{
    /// <summary>Keeps one 32-bit counter across reboots and power cuts.</summary>
    public interface ICounterStore
    {
        /// <summary>Reads the last value saved; returns <c>false</c> if none was ever saved.</summary>
        bool TryLoad(out uint value);

        /// <summary>Saves <paramref name="value"/> durably: after a power cut at any later moment it loads back.</summary>
        void Save(uint value);
    }
}
