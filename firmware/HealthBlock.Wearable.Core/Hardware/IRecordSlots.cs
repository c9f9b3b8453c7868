// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
namespace HealthBlock.Wearable.Hardware
{
    /// <summary>
    /// A few small records in non-volatile storage (files on the device's internal flash). A write may be torn by a
    /// power cut: readers must validate what they read.
    /// </summary>
    public interface IRecordSlots
    {
        /// <summary>Reads slot <paramref name="slot"/>; returns <c>null</c> when it was never written or cannot be read.</summary>
        byte[] Read(int slot);

        /// <summary>Replaces slot <paramref name="slot"/> durably: it is on the medium when this returns.</summary>
        void Write(int slot, byte[] data);
    }
}
