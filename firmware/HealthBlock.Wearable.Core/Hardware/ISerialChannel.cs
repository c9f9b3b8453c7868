// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
namespace HealthBlock.Wearable.Hardware
{
    /// <summary>A byte-oriented serial link (a UART on the device, a stream pair in the emulators).</summary>
    public interface ISerialChannel
    {
        /// <summary>
        /// Copies up to <paramref name="count"/> bytes that have already arrived into <paramref name="buffer"/> and
        /// returns how many; returns 0 at once when none are waiting (never blocks).
        /// </summary>
        int ReadAvailable(byte[] buffer, int offset, int count);

        /// <summary>Sends <paramref name="count"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/>.</summary>
        void Write(byte[] buffer, int offset, int count);
    }
}
