// Device adapter: .NET nanoFramework on ESP32 (compiled in CI by HealthBlock.Wearable.NanoCheck; see firmware/README.md).
using System;
using System.IO;
using HealthBlock.Wearable.Hardware;
using HealthBlock.Wearable.Provisioning;

namespace HealthBlock.Wearable.Device.Adapters
{
    /// <summary>
    /// Record slots as files on the internal flash drive I: (System.IO.FileSystem: File.Exists, File.ReadAllBytes,
    /// File.WriteAllBytes). The dual-slot counter store on top tolerates a write torn by a power cut.
    /// </summary>
    internal sealed class FlashRecordSlots : IRecordSlots
    {
        private readonly string _prefix;

        public FlashRecordSlots(string prefix)
        {
            _prefix = prefix;
        }

        public byte[] Read(int slot)
        {
            string path = PathOf(slot);
            try
            {
                return File.Exists(path) ? File.ReadAllBytes(path) : null;
            }
            catch (Exception)
            {
                return null;
            }
        }

        public void Write(int slot, byte[] data)
        {
            File.WriteAllBytes(PathOf(slot), data);
        }

        private string PathOf(int slot)
        {
            return ProvisioningFiles.CounterSlotPath(_prefix, slot);
        }
    }
}
