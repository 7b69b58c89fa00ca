package io.xecure.testing;

import io.xecure.store.Store;
import io.xecure.store.StoreUnavailableException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A real store behind a switch: while {@link #down} it fails every call as an unreachable database
 * does ({@link StoreUnavailableException}), and {@link #holdWrites} makes event writes wait, as a
 * slow database would. A dynamic proxy, so it follows every method the {@link Store} grows.
 */
public final class SwitchableStore implements InvocationHandler {
  private final Store target;
  private volatile boolean down;
  private volatile @Nullable CountDownLatch hold;
  private final AtomicInteger refused = new AtomicInteger();

  private SwitchableStore(Store target) {
    this.target = target;
  }

  /** The switch in front of {@code target}; {@link #store} is what to hand to the gateway. */
  public static SwitchableStore around(Store target) {
    return new SwitchableStore(target);
  }

  public Store store() {
    return (Store)
        Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class}, this);
  }

  public void down(boolean down) {
    this.down = down;
  }

  /** Event writes wait until {@link #release}. */
  public void holdWrites() {
    hold = new CountDownLatch(1);
  }

  public void release() {
    CountDownLatch h = hold;
    hold = null;
    if (h != null) {
      h.countDown();
    }
  }

  /** Calls refused while down. */
  public int refused() {
    return refused.get();
  }

  @Override
  public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args)
      throws Throwable {
    String name = method.getName();
    if (name.equals("close")) {
      return invokeTarget(method, args);
    }
    if (name.startsWith("appendRequestEvents") || name.equals("appendFromFile")) {
      CountDownLatch h = hold;
      if (h != null) {
        h.await();
      }
    }
    if (down && isStoreMethod(method)) {
      refused.incrementAndGet();
      throw new StoreUnavailableException(
          "store unavailable: test switched it off", new ConnectException("refused"));
    }
    return invokeTarget(method, args);
  }

  private @Nullable Object invokeTarget(Method method, @Nullable Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** A method of the store or one of its ports (they declare the methods), not of Object. */
  private static boolean isStoreMethod(Method method) {
    Class<?> owner = method.getDeclaringClass();
    return owner != Object.class
        && owner != AutoCloseable.class
        && owner.isAssignableFrom(Store.class);
  }
}
