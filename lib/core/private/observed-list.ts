/**
 * A list whose observers see every item, those added before they subscribed and those added
 * after: constructs that derive objects from another construct's declarations (the bootstrap
 * stack from a cluster's services, a Secret from a service's grants) then do not depend on the
 * order in which the consumer declared them.
 */
export class ObservedList<T> {
  private readonly items: T[] = [];
  private readonly observers: Array<(item: T) => void> = [];

  /** Appends an item and shows it to every observer. */
  public add(item: T): void {
    this.items.push(item);
    this.observers.forEach((observe) => observe(item));
  }

  /** Shows `observe` every item so far, then every item to come. */
  public observe(observe: (item: T) => void): void {
    this.observers.push(observe);
    this.items.forEach((item) => observe(item));
  }

  /** A copy of the items so far. */
  public toArray(): T[] {
    return [...this.items];
  }
}
