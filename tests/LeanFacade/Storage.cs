// SPDX-License-Identifier: Apache-2.0
// Facade of LEAN's QuantConnect.Storage.ObjectStore over an in-memory dictionary (LEAN's local store caches in memory too).
using System.Collections;
using System.Collections.Concurrent;
using QuantConnect.Interfaces;

namespace QuantConnect.Storage
{
    public class ObjectStore : IObjectStore
    {
        private readonly ConcurrentDictionary<string, byte[]> _store = new(StringComparer.Ordinal);

        internal ObjectStore() { }

        public ICollection<string> Keys => _store.Keys;

        public bool ContainsKey(string path) => _store.ContainsKey(path);

        public byte[] ReadBytes(string path) =>
            _store.TryGetValue(path, out var bytes) ? (byte[])bytes.Clone() : throw new KeyNotFoundException($"Object with key '{path}' was not found in the current project. Please use ObjectStore.ContainsKey(key) to check if an object exists before attempting to read.");

        public bool SaveBytes(string path, byte[] contents)
        {
            _store[path] = (byte[])contents.Clone();
            return true;
        }

        public bool Delete(string path) => _store.TryRemove(path, out _);

        public IEnumerator<KeyValuePair<string, byte[]>> GetEnumerator() => _store.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public void Dispose() { }
    }
}
