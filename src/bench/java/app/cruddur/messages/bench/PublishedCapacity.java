package app.cruddur.messages.bench;

/**
 * What AWS charges a request, by its published rules (AWS DynamoDB pricing/docs: "Read/write
 * capacity units", "Capacity management for transactions", "Provisioned throughput considerations
 * for global secondary indexes"). DynamoDB Local reports capacity, but does not add up the items of
 * a TransactWriteItems, so the projection's cost is also worked out here from the item sizes.
 *
 * <ul>
 *   <li>Standard write (PutItem, DeleteItem): 1 WCU per started KB of the item written or deleted.</li>
 *   <li>Transactional write: 2 WCU per started KB, for every item of the transaction.</li>
 *   <li>Index: every index entry a write adds or removes costs 1 WCU per started KB of the entry,
 *       transactional or not (with projection ALL the entry is the whole item).</li>
 *   <li>Eventually consistent Query: 0.5 RCU per started 4 KB of all items returned together.</li>
 *   <li>Strongly consistent GetItem: 1 RCU per started 4 KB, and 1 RCU when nothing is found.</li>
 * </ul>
 */
final class PublishedCapacity {

    private static final int WRITE_UNIT_BYTES = 1024;
    private static final int READ_UNIT_BYTES = 4 * 1024;

    private PublishedCapacity() {
    }

    static double write(int itemBytes) {
        return Math.max(1, startedUnits(itemBytes, WRITE_UNIT_BYTES));
    }

    static double transactionalWrite(int itemBytes) {
        return 2 * write(itemBytes);
    }

    static double indexWrite(int entryBytes) {
        return write(entryBytes);
    }

    /** A Query or GetItem returning {@code bytes} in all; the smallest read still costs one unit (half, eventually consistent). */
    static double read(int bytes, boolean stronglyConsistent) {
        double units = Math.max(1, startedUnits(bytes, READ_UNIT_BYTES));
        return stronglyConsistent ? units : units / 2;
    }

    private static long startedUnits(int bytes, int unit) {
        return (bytes + unit - 1) / unit;
    }
}
