def main():
    print("hello from pygreet")
